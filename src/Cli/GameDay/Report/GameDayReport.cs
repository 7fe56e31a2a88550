using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>A phase of the game day and when it began.</summary>
/// <param name="Name">The phase, as the live view shows it (baseline, steady-state check, fault injection, rollback, recovery, report).</param>
/// <param name="StartedAt">When it began.</param>
internal sealed record PhaseMark(string Name, DateTimeOffset StartedAt);

/// <summary>The requests of one phase.</summary>
/// <param name="Name">The phase.</param>
/// <param name="From">When it began.</param>
/// <param name="To">When the next one began (or the run ended).</param>
/// <param name="Stats">The requests completed in between.</param>
internal sealed record PhaseSummary(string Name, DateTimeOffset From, DateTimeOffset To, WindowStats Stats);

/// <summary>One line of the game day's timeline.</summary>
/// <param name="At">When.</param>
/// <param name="Source">Who said it: gameday, state machine, alarm, load.</param>
/// <param name="Text">What happened.</param>
internal sealed record TimelineEntry(DateTimeOffset At, string Source, string Text);

/// <summary>The requests of one second of the game day.</summary>
/// <param name="Second">Seconds since the game day started.</param>
/// <param name="Stats">The statistics of the requests completed in that second.</param>
internal sealed record SeriesPoint(int Second, WindowStats Stats);

/// <summary>Everything a report shows.</summary>
internal sealed class GameDayReport
{
    /// <summary>The experiment's name (for a plan's whole-run report, the plan's).</summary>
    public required string Experiment { get; init; }

    /// <summary>The plan's name when the game day ran a plan file; null for a single experiment file.</summary>
    public string? Plan { get; init; }

    /// <summary>One section per experiment, in the order they ran (a single experiment's run has one); empty in a section itself.</summary>
    public IReadOnlyList<GameDayReport> Experiments { get; init; } = [];

    /// <summary>The experiment's description, if it has one.</summary>
    public string? Description { get; init; }

    /// <summary>The verdict.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>Why the verdict is what it is, in a sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>When the game day started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended.</summary>
    public required DateTimeOffset EndedAt { get; init; }

    /// <summary>The requests of each phase, in order.</summary>
    public required IReadOnlyList<PhaseSummary> PhaseSummaries { get; init; }

    /// <summary>The timeline in order.</summary>
    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }

    /// <summary>The alarms and how they were evaluated.</summary>
    public required IReadOnlyList<AlarmDefinition> Alarms { get; init; }

    /// <summary>Every alarm state change.</summary>
    public required IReadOnlyList<AlarmTransition> AlarmTransitions { get; init; }

    /// <summary>Requests per second of the whole run.</summary>
    public required IReadOnlyList<SeriesPoint> Series { get; init; }

    /// <summary>Totals over the whole run.</summary>
    public required WindowStats Totals { get; init; }

    /// <summary>The state machine's journal (its output), when the run got that far.</summary>
    public JsonNode? Journal { get; init; }

    /// <summary>The dead-letter messages the run sent (input, error, journal, rollback), oldest first.</summary>
    public IReadOnlyList<JsonNode> DeadLetters { get; init; } = [];

    /// <summary>Seconds since the start for a moment of the run.</summary>
    public double SecondsAt(DateTimeOffset at) => (at - StartedAt).TotalSeconds;

    /// <summary>The requests of each phase.</summary>
    public static IReadOnlyList<PhaseSummary> SummarizePhases(RequestLog log, IReadOnlyList<PhaseMark> phases, DateTimeOffset end) =>
        [.. phases.Select((p, i) =>
        {
            var to = i + 1 < phases.Count ? phases[i + 1].StartedAt : end;
            return new PhaseSummary(p.Name, p.StartedAt, to, log.Window(p.StartedAt, to));
        })];

    /// <summary>Per-second series of a request log between two moments.</summary>
    public static IReadOnlyList<SeriesPoint> BuildSeries(RequestLog log, DateTimeOffset start, DateTimeOffset end)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling((end - start).TotalSeconds));
        var buckets = new List<double>[seconds];
        var errors = new int[seconds];
        var injected = new int[seconds];
        var notInjected = new int[seconds];
        for (var i = 0; i < seconds; i++)
        {
            buckets[i] = [];
        }

        foreach (var sample in log.Snapshot())
        {
            var i = (int)Math.Floor((sample.CompletedAt - start).TotalSeconds);
            if (i < 0 || i >= seconds)
            {
                continue;
            }

            buckets[i].Add(sample.LatencyMs);
            errors[i] += sample.IsServerError ? 1 : 0;
            injected[i] += sample.InjectedFault is null ? 0 : 1;
            notInjected[i] += sample.IsNotInjectedError ? 1 : 0;
        }

        return [.. Enumerable.Range(0, seconds).Select(i => new SeriesPoint(i, RequestLog.Summarize(buckets[i], errors[i], injected[i], notInjected[i])))];
    }
}
