using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>
/// report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with the latency and
/// error charts over time, the phases shaded behind them, alarm changes marked, the timeline and the journal.
/// </summary>
internal static class ReportHtml
{
    private const int Width = 960;
    private const int PlotHeight = 208;
    private const int Left = 56;
    private const int Right = 16;
    private const int LabelRowHeight = 14;
    private const int LabelFontSize = 11;
    private const int Bottom = 32;

    private static readonly string[] PhaseColors = ["#e8f1fb", "#fdf3e1", "#fbe6e6", "#e6f5ea", "#efe8fa", "#f2f2f2"];

    /// <summary>The report as an HTML page.</summary>
    public static string Build(GameDayReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var html = new StringBuilder();
        var verdictColor = report.Verdict switch
        {
            Verdict.Held => "#1a7f37",
            Verdict.Deviated => "#9a6700",
            _ => "#cf222e",
        };
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(c, $"<title>Game day: {E(report.Experiment)} — {report.Verdict.Name()}</title>");
        html.Append("<style>body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1000px;color:#1f2328;padding:0 1rem}");
        html.Append("h1{margin-bottom:.2rem}.verdict{display:inline-block;padding:.2rem .7rem;border-radius:1rem;color:#fff;font-weight:600}");
        html.Append("table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}td,th{border-bottom:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;font-size:.9rem;vertical-align:top}");
        html.Append("th{background:#f6f8fa}td.n{text-align:right}pre{background:#f6f8fa;padding:1rem;overflow:auto;font-size:.8rem;white-space:pre-wrap;overflow-wrap:anywhere}svg{display:block;margin:.5rem 0 1.5rem;max-width:100%;height:auto}");
        html.Append(".scroll{overflow-x:auto;max-width:100%}td{overflow-wrap:anywhere}td.n,th{white-space:nowrap;overflow-wrap:normal}section.experiment{border-top:2px solid #d0d7de;margin-top:1.5rem}</style></head><body>\n");
        html.Append(c, $"<h1>Game day: {E(report.Experiment)}</h1>\n");
        if (!string.IsNullOrWhiteSpace(report.Description))
        {
            html.Append(c, $"<p>{E(report.Description)}</p>\n");
        }

        html.Append(c, $"<p><span class=\"verdict\" style=\"background:{verdictColor}\">{report.Verdict.Name()}</span> exit code {report.Verdict.ExitCode()} — {E(report.Reason)}</p>\n");
        html.Append(c, $"<p>Started {report.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, ran {(report.EndedAt - report.StartedAt).TotalSeconds:0.0} s; ");
        html.Append(c, $"{report.Totals.Count} requests, p50 {report.Totals.P50Ms:0} ms, p99 {report.Totals.P99Ms:0} ms, {report.Totals.ErrorRatePercent:0.0}% 5xx ({report.Totals.InjectedErrors} injected, <strong>{report.Totals.NotInjectedErrors} not injected: {report.Totals.NotInjectedErrorRatePercent:0.0}%</strong>), {report.Totals.Injected} with an injected fault{(report.Totals.WouldInject > 0 ? string.Create(c, $", {report.Totals.WouldInject} a dry run would have injected into (nothing was)") : "")}.</p>\n");
        if (report.Experiments.Count > 1)
        {
            html.Append("<h2>Experiments</h2>\n<div class=scroll><table><tr><th>#</th><th>experiment</th><th>verdict</th><th>requests</th><th>5xx</th><th>5xx injected</th><th>5xx not injected</th><th>why</th></tr>\n");
            for (var i = 0; i < report.Experiments.Count; i++)
            {
                var e = report.Experiments[i];
                html.Append(c, $"<tr><td class=n>{i + 1}</td><td><a href=\"#experiment-{i + 1}\">{E(e.Experiment)}</a></td><td>{e.Verdict.Name()}</td><td class=n>{e.Totals.Count}</td><td class=n>{e.Totals.ServerErrors}</td><td class=n>{e.Totals.InjectedErrors}</td><td class=n>{e.Totals.NotInjectedErrors} ({e.Totals.NotInjectedErrorRatePercent:0.0}%)</td><td>{E(e.Reason)}</td></tr>\n");
            }

            html.Append("</table></div>\n");
        }

        html.Append("<h2>Latency</h2>\n");
        html.Append(Chart(report, "milliseconds", [
            new Line("p99", "#cf222e", p => p.Stats.Count == 0 ? null : p.Stats.P99Ms),
            new Line("p50", "#0969da", p => p.Stats.Count == 0 ? null : p.Stats.P50Ms),
        ], AlarmMetric.P99LatencyMs));
        html.Append("<h2>Requests and errors</h2>\n");
        html.Append(Chart(report, "per second", [
            new Line("requests", "#57606a", p => p.Stats.Count),
            new Line("5xx", "#cf222e", p => p.Stats.ServerErrors),
            new Line("injected", "#8250df", p => p.Stats.Injected, Dashed: true),
            new Line("5xx not injected", "#953800", p => p.Stats.NotInjectedErrors),
        ]));
        html.Append("<h2>5xx rate: injected and not injected (the cascade)</h2>\n");
        html.Append(Chart(report, "% of requests", [
            new Line("5xx", "#cf222e", p => p.Stats.Count == 0 ? null : p.Stats.ErrorRatePercent),
            new Line("5xx not injected", "#953800", p => p.Stats.Count == 0 ? null : p.Stats.NotInjectedErrorRatePercent),
        ], AlarmMetric.ServerErrorRatePercent));

        if (report.Experiments.Count > 1)
        {
            for (var i = 0; i < report.Experiments.Count; i++)
            {
                var e = report.Experiments[i];
                html.Append(c, $"<section class=experiment id=\"experiment-{i + 1}\"><h2>{i + 1}. {E(e.Experiment)}: {e.Verdict.Name()}</h2>\n");
                if (!string.IsNullOrWhiteSpace(e.Description))
                {
                    html.Append(c, $"<p>{E(e.Description)}</p>\n");
                }

                html.Append(c, $"<p>{E(e.Reason)}</p>\n<p>From {report.SecondsAt(e.StartedAt):0.0} s to {report.SecondsAt(e.EndedAt):0.0} s: ");
                html.Append(c, $"{e.Totals.Count} requests, p99 {e.Totals.P99Ms:0} ms, {e.Totals.ServerErrors} 5xx ({e.Totals.InjectedErrors} injected, <strong>{e.Totals.NotInjectedErrors} not injected: {e.Totals.NotInjectedErrorRatePercent:0.0}%</strong>), {e.Totals.Injected} with an injected fault{(e.Totals.WouldInject > 0 ? string.Create(c, $", {e.Totals.WouldInject} a dry run would have injected into") : "")}.</p>\n");
                html.Append("<h3>Phases</h3>\n");
                PhaseTable(html, report, e.PhaseSummaries);
                DeadLetterTable(html, e.DeadLetters, "h3");
                html.Append("</section>\n");
            }
        }
        else
        {
            html.Append("<h2>Phases</h2>\n");
            PhaseTable(html, report, report.PhaseSummaries);
        }

        html.Append("<h2>Alarms</h2>\n<div class=scroll><table><tr><th>alarm</th><th>metric</th><th>threshold</th><th>period</th><th>M of N</th><th>state changes</th></tr>\n");
        foreach (var alarm in report.Alarms)
        {
            var changes = string.Join("<br>", report.AlarmTransitions.Where(t => t.Alarm == alarm.Name)
                .Select(t => string.Create(c, $"{report.SecondsAt(t.At):0}s → {t.To.ToWire()} ({E(t.Reason)})")));
            var metric = alarm.Metric == AlarmMetric.P99LatencyMs ? "p99 latency (ms)" : "5xx rate (%)";
            html.Append(c, $"<tr><td>{E(alarm.Name)}</td><td>{metric}</td><td class=n>{alarm.Threshold}</td><td class=n>{alarm.Period.TotalSeconds:0} s</td><td>{alarm.DatapointsToAlarm} of {alarm.EvaluationPeriods}</td><td>{changes}</td></tr>\n");
        }

        html.Append("</table></div>\n<h2>Timeline</h2>\n<div class=scroll><table><tr><th>at (s)</th><th>source</th><th>what happened</th></tr>\n");
        foreach (var entry in report.Timeline)
        {
            html.Append(c, $"<tr><td class=n>{report.SecondsAt(entry.At):0.0}</td><td>{E(entry.Source)}</td><td>{E(entry.Text)}</td></tr>\n");
        }

        html.Append("</table></div>\n");
        if (report.Experiments.Count <= 1)
        {
            DeadLetterTable(html, report.DeadLetters, "h2");
        }

        if (report.Journal is not null)
        {
            html.Append("<h2>Journal</h2>\n<pre>");
            html.Append(E(report.Journal.ToJsonString(new JsonSerializerOptions { WriteIndented = true })));
            html.Append("</pre>\n");
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void PhaseTable(StringBuilder html, GameDayReport report, IReadOnlyList<PhaseSummary> phases)
    {
        var c = CultureInfo.InvariantCulture;
        html.Append("<div class=scroll><table><tr><th>phase</th><th>from (s)</th><th>to (s)</th><th>requests</th><th>p50 (ms)</th><th>p99 (ms)</th><th>5xx</th><th>5xx injected</th><th>5xx not injected</th></tr>\n");
        foreach (var phase in phases)
        {
            var st = phase.Stats;
            html.Append(c, $"<tr><td>{E(phase.Name)}</td><td class=n>{report.SecondsAt(phase.From):0.0}</td><td class=n>{report.SecondsAt(phase.To):0.0}</td><td class=n>{st.Count}</td><td class=n>{st.P50Ms:0}</td><td class=n>{st.P99Ms:0}</td><td class=n>{st.ServerErrors}</td><td class=n>{st.InjectedErrors}</td><td class=n>{st.NotInjectedErrors}</td></tr>\n");
        }

        html.Append("</table></div>\n");
    }

    private static void DeadLetterTable(StringBuilder html, IReadOnlyList<System.Text.Json.Nodes.JsonNode> deadLetters, string heading)
    {
        if (deadLetters.Count == 0)
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        html.Append(c, $"<{heading}>Dead letters</{heading}>\n<div class=scroll><table><tr><th>what failed</th><th>message</th></tr>\n");
        foreach (var letter in deadLetters)
        {
            html.Append(c, $"<tr><td>{E(GameDayRunner.DeadLetterReason(letter))}</td><td><pre>{E(letter.ToJsonString(new JsonSerializerOptions { WriteIndented = true }))}</pre></td></tr>\n");
        }

        html.Append("</table></div>\n");
    }

    /// <summary>Writes report.html.</summary>
    public static Task WriteAsync(GameDayReport report, string path, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, Build(report), cancellationToken);

    private static string Chart(GameDayReport report, string unit, IReadOnlyList<Line> lines, AlarmMetric? thresholdsOf = null)
    {
        var c = CultureInfo.InvariantCulture;
        var seconds = Math.Max(1, (report.EndedAt - report.StartedAt).TotalSeconds);
        var thresholds = thresholdsOf is { } metric ? report.Alarms.Where(a => a.Metric == metric).ToList() : [];
        var max = NiceCeiling(report.Series.SelectMany(p => lines.Select(l => l.Value(p) ?? 0)).Concat(thresholds.Select(a => a.Threshold * 1.1)).DefaultIfEmpty(0).Max());
        double X(double s) => Left + (s / seconds * (Width - Left - Right));

        // Phase labels (and, in a plan, where each experiment starts) in as many rows as they need not to overlap.
        var marks = Marks(report);
        var placed = PhaseLabelLayout.Place([.. marks.Select(m =>
        {
            var width = PhaseLabelLayout.WidthOf(m.Text, LabelFontSize);
            return (Math.Max(Left, Math.Min(X(m.Second) + 3, Width - Right - width)), width);
        })]);
        var rows = PhaseLabelLayout.Rows(placed);
        var top = 8 + (rows * LabelRowHeight);
        var height = top + PlotHeight + Bottom;
        double Y(double v) => top + ((1 - (v / max)) * PlotHeight);
        var svg = new StringBuilder();
        svg.Append(c, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\" role=\"img\" aria-label=\"{E(string.Join(", ", lines.Select(l => l.Name)))} {unit} over time\">\n");

        // Phases behind everything.
        for (var i = 0; i < report.PhaseSummaries.Count; i++)
        {
            var phase = report.PhaseSummaries[i];
            var x0 = X(report.SecondsAt(phase.From));
            var x1 = X(report.SecondsAt(phase.To));
            svg.Append(c, $"<rect x=\"{x0:0.#}\" y=\"{top}\" width=\"{Math.Max(0, x1 - x0):0.#}\" height=\"{PlotHeight}\" fill=\"{PhaseColors[PhaseColorIndex(phase.Name)]}\"><title>{E(phase.Name)}</title></rect>\n");
        }

        for (var i = 0; i < marks.Count; i++)
        {
            var (mark, label) = (marks[i], placed[i]);
            var baseline = top - 4 - (label.Row * LabelRowHeight);
            var x = X(mark.Second);
            svg.Append(c, $"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{baseline - 10}\" y2=\"{top}\" stroke=\"{(mark.Experiment ? "#1f2328" : "#8c959f")}\" stroke-width=\"1\"/>");
            svg.Append(c, $"<text class=\"phase-label\" x=\"{label.X:0.#}\" y=\"{baseline}\" font-size=\"{LabelFontSize}\" fill=\"{(mark.Experiment ? "#1f2328" : "#57606a")}\"{(mark.Experiment ? " font-weight=\"600\"" : "")}>{E(mark.Text)}</text>\n");
        }

        // Axes and gridlines.
        for (var g = 0; g <= 4; g++)
        {
            var v = max * g / 4;
            svg.Append(c, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\" stroke=\"#d0d7de\" stroke-width=\"1\"/>");
            svg.Append(c, $"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">{v:0.##}</text>\n");
        }

        var tickStep = seconds <= 20 ? 2 : seconds <= 60 ? 5 : seconds <= 300 ? 15 : 60;
        for (var t = 0; t <= seconds; t += tickStep)
        {
            svg.Append(c, $"<text x=\"{X(t):0.#}\" y=\"{height - Bottom + 16}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#57606a\">{t}s</text>");
        }

        svg.Append(c, $"<text x=\"{Width - Right}\" y=\"{height - 4}\" font-size=\"11\" text-anchor=\"end\" fill=\"#57606a\">seconds since start; y: {unit}</text>\n");

        // Alarm thresholds: where each alarm of this metric fires.
        foreach (var alarm in thresholds)
        {
            var y = Y(alarm.Threshold);
            svg.Append(c, $"<line class=\"threshold\" data-alarm=\"{E(alarm.Name)}\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#cf222e\" stroke-width=\"1.2\" stroke-dasharray=\"2 4\"><title>{E(alarm.Name)}: alarm above {alarm.Threshold.ToString(c)}</title></line>");
            svg.Append(c, $"<text x=\"{Width - Right - 4}\" y=\"{y - 4:0.#}\" font-size=\"11\" text-anchor=\"end\" fill=\"#cf222e\">{E(alarm.Name)} threshold {alarm.Threshold.ToString(c)}</text>\n");
        }

        // Alarm changes: red when entering ALARM, green otherwise.
        foreach (var t in report.AlarmTransitions)
        {
            var x = X(report.SecondsAt(t.At));
            var color = t.To == AlarmState.Alarm ? "#cf222e" : t.To == AlarmState.Ok ? "#1a7f37" : "#8c959f";
            svg.Append(c, $"<line x1=\"{x:0.#}\" x2=\"{x:0.#}\" y1=\"{top}\" y2=\"{top + PlotHeight}\" stroke=\"{color}\" stroke-dasharray=\"4 3\"><title>{E(t.Alarm)} → {t.To.ToWire()} at {report.SecondsAt(t.At):0.0}s</title></line>\n");
        }

        foreach (var line in lines)
        {
            var points = new StringBuilder();
            foreach (var p in report.Series)
            {
                if (line.Value(p) is { } v)
                {
                    points.Append(c, $"{X(p.Second + 0.5):0.#},{Y(v):0.#} ");
                }
            }

            svg.Append(c, $"<polyline class=\"series\" data-series=\"{E(line.Name)}\" fill=\"none\" stroke=\"{line.Color}\" stroke-width=\"1.8\"{(line.Dashed ? " stroke-dasharray=\"6 3\"" : "")} points=\"{points.ToString().TrimEnd()}\"><title>{E(line.Name)}</title></polyline>\n");
        }

        // Legend, under the axis on the left.
        var lx = Left;
        foreach (var line in lines)
        {
            svg.Append(c, $"<rect x=\"{lx}\" y=\"{height - 9}\" width=\"12\" height=\"3\" fill=\"{line.Color}\"/><text x=\"{lx + 16}\" y=\"{height - 4}\" font-size=\"11\">{E(line.Name)}</text>");
            lx += 24 + (line.Name.Length * 7);
        }

        svg.Append("\n</svg>\n");
        return svg.ToString();
    }

    /// <summary>The labels above a chart: every phase, and in a plan the start of each experiment before its first phase.</summary>
    private static List<Mark> Marks(GameDayReport report)
    {
        var marks = new List<Mark>();
        var starts = report.Experiments.Count > 1 ? report.Experiments.Select((e, i) => (e.StartedAt, Text: $"{i + 1}. {e.Experiment}")).ToList() : [];
        foreach (var phase in report.PhaseSummaries)
        {
            while (starts.Count > 0 && starts[0].StartedAt <= phase.From)
            {
                marks.Add(new Mark(report.SecondsAt(starts[0].StartedAt), starts[0].Text, Experiment: true));
                starts.RemoveAt(0);
            }

            marks.Add(new Mark(report.SecondsAt(phase.From), phase.Name, Experiment: false));
        }

        marks.AddRange(starts.Select(s => new Mark(report.SecondsAt(s.StartedAt), s.Text, Experiment: true)));
        return marks;
    }

    /// <summary>One colour per phase name, so a plan's repeated phases look alike.</summary>
    private static int PhaseColorIndex(string phase) => phase switch
    {
        PhaseTracker.Baseline => 0,
        PhaseTracker.FaultInjection => 2,
        PhaseTracker.Rollback => 1,
        PhaseTracker.Recovery => 3,
        PhaseTracker.CoolDown => 5,
        _ => 4,
    };

    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    private sealed record Line(string Name, string Color, Func<SeriesPoint, double?> Value, bool Dashed = false);

    private sealed record Mark(double Second, string Text, bool Experiment);
}
