using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>report.json: the whole report as one JSON document, for pipelines to read.</summary>
internal static class ReportJson
{
    /// <summary>The report as JSON.</summary>
    public static JsonObject Build(GameDayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var json = Section(report, report);
        json["plan"] = report.Plan;
        json["alarms"] = new JsonArray([.. report.Alarms.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Name,
            ["metric"] = a.Metric == AlarmMetric.P99LatencyMs ? "p99LatencyMs" : "serverErrorRatePercent",
            ["threshold"] = a.Threshold,
            ["comparisonOperator"] = a.Comparison.ToString(),
            ["periodSeconds"] = a.Period.TotalSeconds,
            ["evaluationPeriods"] = a.EvaluationPeriods,
            ["datapointsToAlarm"] = a.DatapointsToAlarm,
            ["treatMissingData"] = JsonNamingPolicy.CamelCase.ConvertName(a.TreatMissing.ToString()),
        })]);
        json["series"] = new JsonArray([.. report.Series.Select(p => (JsonNode)new JsonObject
        {
            ["second"] = p.Second,
            ["requests"] = p.Stats.Count,
            ["p50Ms"] = Math.Round(p.Stats.P50Ms, 1),
            ["p99Ms"] = Math.Round(p.Stats.P99Ms, 1),
            ["serverErrors"] = p.Stats.ServerErrors,
            ["injected"] = p.Stats.Injected,
            ["notInjectedErrors"] = p.Stats.NotInjectedErrors,
            ["notInjectedErrorRatePercent"] = Math.Round(p.Stats.NotInjectedErrorRatePercent, 2),
        })]);
        json["experiments"] = new JsonArray([.. report.Experiments.Select(e => (JsonNode)Section(e, report))]);
        return json;
    }

    /// <summary>What the whole report and each experiment's section have alike; seconds are counted from the start of <paramref name="run"/>.</summary>
    private static JsonObject Section(GameDayReport report, GameDayReport run)
    {
        return new JsonObject
        {
            ["experiment"] = report.Experiment,
            ["description"] = report.Description,
            ["verdict"] = report.Verdict.Name(),
            ["exitCode"] = report.Verdict.ExitCode(),
            ["reason"] = report.Reason,
            ["startedAt"] = Time(report.StartedAt),
            ["endedAt"] = Time(report.EndedAt),
            ["durationSeconds"] = Math.Round((report.EndedAt - report.StartedAt).TotalSeconds, 1),
            ["totals"] = Stats(report.Totals),
            ["phases"] = new JsonArray([.. report.PhaseSummaries.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["startedAt"] = Time(p.From),
                ["fromSecond"] = Math.Round(run.SecondsAt(p.From), 1),
                ["toSecond"] = Math.Round(run.SecondsAt(p.To), 1),
                ["stats"] = Stats(p.Stats),
            })]),
            ["alarmTransitions"] = new JsonArray([.. report.AlarmTransitions.Select(t => (JsonNode)new JsonObject
            {
                ["at"] = Time(t.At),
                ["atSecond"] = Math.Round(run.SecondsAt(t.At), 1),
                ["alarm"] = t.Alarm,
                ["from"] = t.From.ToWire(),
                ["to"] = t.To.ToWire(),
                ["reason"] = t.Reason,
            })]),
            ["timeline"] = new JsonArray([.. report.Timeline.Select(e => (JsonNode)new JsonObject
            {
                ["at"] = Time(e.At),
                ["atSecond"] = Math.Round(run.SecondsAt(e.At), 1),
                ["source"] = e.Source,
                ["text"] = e.Text,
            })]),
            ["journal"] = report.Journal?.DeepClone(),
            ["deadLetters"] = new JsonArray([.. report.DeadLetters.Select(d => d.DeepClone())]),
        };
    }

    /// <summary>Writes report.json.</summary>
    public static Task WriteAsync(GameDayReport report, string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, Build(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken);

    private static JsonObject Stats(WindowStats s) => new()
    {
        ["requests"] = s.Count,
        ["p50Ms"] = Math.Round(s.P50Ms, 1),
        ["p99Ms"] = Math.Round(s.P99Ms, 1),
        ["serverErrors"] = s.ServerErrors,
        ["errorRatePercent"] = Math.Round(s.ErrorRatePercent, 2),
        ["injected"] = s.Injected,
        ["injectedErrors"] = s.InjectedErrors,
        ["notInjectedErrors"] = s.NotInjectedErrors,
        ["notInjectedErrorRatePercent"] = Math.Round(s.NotInjectedErrorRatePercent, 2),
        ["wouldInject"] = s.WouldInject,
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
