using System.Globalization;
using System.Xml.Linq;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>
/// The game day as JUnit XML, which CI systems show natively: one test case per experiment, passed when its
/// hypothesis held, otherwise a failure whose type is the verdict and whose message is the verdict's reason.
/// </summary>
internal static class ReportJUnit
{
    /// <summary>The JUnit document for the experiments of one game day.</summary>
    public static XDocument Build(IReadOnlyList<GameDayReport> experiments)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        var c = CultureInfo.InvariantCulture;
        var failures = experiments.Count(e => e.Verdict != Verdict.Held);
        var seconds = experiments.Sum(e => (e.EndedAt - e.StartedAt).TotalSeconds);
        var suite = new XElement(
            "testsuite",
            new XAttribute("name", "chaos gameday"),
            new XAttribute("tests", experiments.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("skipped", 0),
            new XAttribute("time", seconds.ToString("0.###", c)),
            new XAttribute("timestamp", (experiments.Count > 0 ? experiments[0].StartedAt : DateTimeOffset.UnixEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", c)));
        foreach (var experiment in experiments)
        {
            var testCase = new XElement(
                "testcase",
                new XAttribute("classname", "gameday"),
                new XAttribute("name", experiment.Experiment),
                new XAttribute("time", (experiment.EndedAt - experiment.StartedAt).TotalSeconds.ToString("0.###", c)));
            var t = experiment.Totals;
            var summary = string.Create(c, $"verdict {experiment.Verdict.Name()} (exit code {experiment.Verdict.ExitCode()}): {experiment.Reason}\n{t.Count} requests, p99 {t.P99Ms:0} ms, {t.ServerErrors} 5xx ({t.InjectedErrors} injected, {t.NotInjectedErrors} not injected), {t.Injected} injected faults");
            if (experiment.Verdict != Verdict.Held)
            {
                testCase.Add(new XElement("failure", new XAttribute("type", experiment.Verdict.Name()), new XAttribute("message", experiment.Reason), summary));
            }

            testCase.Add(new XElement("system-out", summary));
            suite.Add(testCase);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(
            "testsuites",
            new XAttribute("name", "chaos gameday"),
            new XAttribute("tests", experiments.Count),
            new XAttribute("failures", failures),
            new XAttribute("errors", 0),
            new XAttribute("time", seconds.ToString("0.###", c)),
            suite));
    }

    /// <summary>Writes the JUnit file whole (a temporary file renamed over it), so a pipeline never reads half of one.</summary>
    public static async Task WriteAsync(IReadOnlyList<GameDayReport> experiments, string path, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temporary = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        await using (var stream = File.Create(temporary))
        {
            await Build(experiments).SaveAsync(stream, SaveOptions.None, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, full, overwrite: true);
    }
}
