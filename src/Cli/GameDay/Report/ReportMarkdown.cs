using System.Globalization;
using System.Text;
using System.Text.Json;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>report.md: the report as Markdown, to paste into a ticket or a pull request.</summary>
internal static class ReportMarkdown
{
    /// <summary>The report as Markdown.</summary>
    public static string Build(GameDayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"# Game day: {report.Experiment}\n\n");
        if (!string.IsNullOrWhiteSpace(report.Description))
        {
            md.Append(c, $"{report.Description}\n\n");
        }

        md.Append(c, $"**Verdict: {report.Verdict.Name()}** (exit code {report.Verdict.ExitCode()}): {report.Reason}.\n\n");
        md.Append(c, $"Started {report.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, ran {(report.EndedAt - report.StartedAt).TotalSeconds:0.0} s. ");
        md.Append(c, $"{report.Totals.Count} requests, p50 {report.Totals.P50Ms:0} ms, p99 {report.Totals.P99Ms:0} ms, ");
        md.Append(c, $"{report.Totals.ErrorRatePercent:0.0}% 5xx ({report.Totals.InjectedErrors} injected, **{report.Totals.NotInjectedErrors} not injected: {report.Totals.NotInjectedErrorRatePercent:0.0}%**), {report.Totals.Injected} with an injected fault.\n\n");

        if (report.Experiments.Count > 1)
        {
            md.Append("## Experiments\n\n| # | experiment | verdict | requests | 5xx | 5xx injected | 5xx not injected | why |\n|---:|---|---|---:|---:|---:|---:|---|\n");
            for (var i = 0; i < report.Experiments.Count; i++)
            {
                var e = report.Experiments[i];
                md.Append(c, $"| {i + 1} | {e.Experiment} | {e.Verdict.Name()} | {e.Totals.Count} | {e.Totals.ServerErrors} | {e.Totals.InjectedErrors} | {e.Totals.NotInjectedErrors} ({e.Totals.NotInjectedErrorRatePercent:0.0}%) | {e.Reason.Replace("|", "\\|", StringComparison.Ordinal)} |\n");
            }

            md.Append('\n');
        }

        md.Append("## Phases\n\n| phase | from (s) | to (s) | requests | p50 (ms) | p99 (ms) | 5xx | 5xx injected | 5xx not injected |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var phase in report.PhaseSummaries)
        {
            var st = phase.Stats;
            md.Append(c, $"| {phase.Name} | {report.SecondsAt(phase.From):0.0} | {report.SecondsAt(phase.To):0.0} | {st.Count} | {st.P50Ms:0} | {st.P99Ms:0} | {st.ServerErrors} | {st.InjectedErrors} | {st.NotInjectedErrors} |\n");
        }

        md.Append("\n## Alarms\n\n| alarm | metric | threshold | period | M of N | state changes |\n|---|---|---:|---:|---|---|\n");
        foreach (var alarm in report.Alarms)
        {
            var changes = string.Join(", ", report.AlarmTransitions.Where(t => t.Alarm == alarm.Name)
                .Select(t => string.Create(c, $"{t.To.ToWire()} at {report.SecondsAt(t.At):0}s")));
            var metric = alarm.Metric == AlarmMetric.P99LatencyMs ? "p99 latency (ms)" : "5xx rate (%)";
            md.Append(c, $"| {alarm.Name} | {metric} | {alarm.Threshold} | {alarm.Period.TotalSeconds:0} s | {alarm.DatapointsToAlarm} of {alarm.EvaluationPeriods} | {changes} |\n");
        }

        md.Append("\n## Timeline\n\n| at (s) | source | what happened |\n|---:|---|---|\n");
        foreach (var entry in report.Timeline)
        {
            md.Append(c, $"| {report.SecondsAt(entry.At):0.0} | {entry.Source} | {entry.Text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ")} |\n");
        }

        if (report.DeadLetters.Count > 0)
        {
            md.Append("\n## Dead letters\n\n");
            foreach (var letter in report.DeadLetters)
            {
                md.Append(c, $"- {GameDayRunner.DeadLetterReason(letter) ?? "(no error recorded)"}\n");
            }
        }

        if (report.Journal is not null)
        {
            md.Append("\n## Journal\n\n```json\n");
            md.Append(report.Journal.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            md.Append("\n```\n");
        }

        return md.ToString();
    }

    /// <summary>Writes report.md.</summary>
    public static Task WriteAsync(GameDayReport report, string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, Build(report), cancellationToken);
}
