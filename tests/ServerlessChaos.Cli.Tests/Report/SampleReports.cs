using ServerlessChaos.Cli.GameDay;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.Tests.Report;

/// <summary>A report as a plan of two experiments writes it: short phases side by side (the hard case for labels), injected and cascading 5xx, an alarm change.</summary>
internal static class SampleReports
{
    public static readonly DateTimeOffset Start = new(2026, 12, 1, 21, 0, 0, TimeSpan.Zero);

    public static GameDayReport Plan()
    {
        var log = new RequestLog();
        for (var i = 0; i < 600; i++)
        {
            // 20 requests a second for 30 s; from 12 s to 16 s every fifth is an injected 503, from 20 s to 22 s every fourth a 502 nobody injected.
            var second = i / 20.0;
            var injected = second is >= 12 and < 16 && i % 5 == 0;
            var cascade = second is >= 20 and < 22 && i % 4 == 0;
            log.Add(new RequestSample(Start.AddSeconds(second), 10 + (i % 7 * 30), injected ? 503 : cascade ? 502 : 200, injected ? "statusCode" : null));
        }

        PhaseMark[] first =
        [
            new(PhaseTracker.Baseline, Start),
            new(PhaseTracker.SteadyStateCheck, Start.AddSeconds(4)),
            new(PhaseTracker.FaultInjection, Start.AddSeconds(4.2)),
            new(PhaseTracker.Rollback, Start.AddSeconds(10)),
            new(PhaseTracker.Recovery, Start.AddSeconds(10.1)),
            new(PhaseTracker.Report, Start.AddSeconds(10.2)),
            new(PhaseTracker.CoolDown, Start.AddSeconds(10.3)),
        ];
        PhaseMark[] second2 =
        [
            new(PhaseTracker.Baseline, Start.AddSeconds(11)),
            new(PhaseTracker.SteadyStateCheck, Start.AddSeconds(11.1)),
            new(PhaseTracker.FaultInjection, Start.AddSeconds(11.2)),
            new(PhaseTracker.Rollback, Start.AddSeconds(25)),
            new(PhaseTracker.Recovery, Start.AddSeconds(25.05)),
            new(PhaseTracker.Report, Start.AddSeconds(25.1)),
            new(PhaseTracker.CoolDown, Start.AddSeconds(25.15)),
        ];
        var end = Start.AddSeconds(30);
        AlarmDefinition[] alarms = [SampleAlarms.P99LatencyAlarm(TimeSpan.FromSeconds(5)), SampleAlarms.ServerErrorRateAlarm(TimeSpan.FromSeconds(5))];
        AlarmTransition[] transitions = [new(Start.AddSeconds(15), "sample-api-5xx-rate", AlarmState.Ok, AlarmState.Alarm, "2 of 3 datapoints breaching > 10")];
        var deadLetter = System.Text.Json.Nodes.JsonNode.Parse("""{"error":{"Error":"PreflightRefused","Cause":"FIS experiment template EXT123 (faults[0]) does not exist"}}""")!;
        GameDayReport Section(string name, Verdict verdict, string reason, PhaseMark[] phases, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<System.Text.Json.Nodes.JsonNode> deadLetters) => new()
        {
            Experiment = name,
            Verdict = verdict,
            Reason = reason,
            StartedAt = from,
            EndedAt = to,
            PhaseSummaries = GameDayReport.SummarizePhases(log, phases, to),
            Timeline = [new TimelineEntry(from, "gameday", $"experiment {name}")],
            Alarms = alarms,
            AlarmTransitions = [.. transitions.Where(t => t.At >= from && t.At < to)],
            Series = [],
            Totals = log.Window(from, to),
            DeadLetters = deadLetters,
        };

        var sections = new[]
        {
            Section("gameday-api-abuse", Verdict.Held, "every hypothesis alarm stayed OK while the faults were on, and everything was rolled back", first, Start, Start.AddSeconds(11), []),
            Section("gameday-task-stop-with-a-long-name", Verdict.Aborted, "alarm sample-api-5xx-rate went into ALARM", second2, Start.AddSeconds(11), end, [deadLetter]),
        };
        return new GameDayReport
        {
            Experiment = "default",
            Plan = "default",
            Description = "A plan of two experiments with phases far shorter than their labels.",
            Verdict = Verdicts.Worst(sections.Select(s => s.Verdict)),
            Reason = GameDayRunner.PlanReason(sections, Verdict.Aborted),
            StartedAt = Start,
            EndedAt = end,
            PhaseSummaries = GameDayReport.SummarizePhases(log, [.. first, .. second2], end),
            Timeline = [new TimelineEntry(Start, "gameday", "a plan of 2 experiments"), new TimelineEntry(Start.AddSeconds(1), "parameters", "a long line that goes on " + string.Concat(Enumerable.Repeat("and-on-without-spaces-", 12)))],
            Alarms = alarms,
            AlarmTransitions = transitions,
            Series = GameDayReport.BuildSeries(log, Start, end),
            Totals = log.Window(Start, end),
            DeadLetters = [deadLetter],
            Experiments = sections,
        };
    }
}
