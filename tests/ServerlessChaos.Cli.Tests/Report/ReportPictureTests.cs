using System.Diagnostics;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.Tests.Support;
using Xunit.Abstractions;

namespace ServerlessChaos.Cli.Tests.Report;

/// <summary>
/// report.html as a picture: rendered by headless Chromium (Debian's <c>chromium</c>, driven by playwright-core) at a
/// desktop and a phone width, checked from the page's own geometry, and saved as screenshots in the test output.
/// </summary>
public class ReportPictureTests(ITestOutputHelper output)
{
    /// <summary>Where Debian's chromium package puts the browser (.ci/run installs it when it is missing).</summary>
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task At_desktop_and_phone_widths_no_labels_overlap_nothing_overflows_and_every_chart_with_an_alarm_shows_its_threshold()
    {
        File.Exists(Chromium).ShouldBeTrue($"{Chromium} is missing: install Debian's chromium package (apt-get install -y chromium), as .ci/run does");
        var dir = TestPaths.NewTempDirectory();
        var report = Path.Combine(dir, "report.html");
        await ReportHtml.WriteAsync(SampleReports.Plan(), report, CancellationToken.None);
        var shots = Path.Combine(AppContext.BaseDirectory, "report-pictures");
        Directory.CreateDirectory(shots);

        var results = await RenderAsync(report, shots, Path.Combine(dir, "chromium-profile"), 1280, 390);

        results.Count.ShouldBe(2);
        foreach (var page in results.Select(r => r!.AsObject()))
        {
            var width = page["width"]!.GetValue<int>();
            output.WriteLine($"{width} px: screenshot {page["screenshot"]}");
            File.Exists(page["screenshot"]!.GetValue<string>()).ShouldBeTrue();
            page["requests"]!.AsArray().ShouldBeEmpty("the report loads nothing but itself");
            page["scrollWidth"]!.GetValue<int>().ShouldBeLessThanOrEqualTo(page["clientWidth"]!.GetValue<int>(), $"the page scrolls sideways at {width} px");
            var charts = page["charts"]!.AsArray().Select(c => c!.AsObject()).ToList();
            charts.Count.ShouldBe(3);
            foreach (var chart in charts)
            {
                var box = chart["box"]!.AsObject();
                box["right"]!.GetValue<double>().ShouldBeLessThanOrEqualTo(width, $"{chart["label"]} is wider than the page at {width} px");
                var labels = chart["labels"]!.AsArray().Select(l => l!.AsObject()).ToList();
                labels.Count.ShouldBe(16);
                for (var i = 0; i < labels.Count; i++)
                {
                    labels[i]["right"]!.GetValue<double>().ShouldBeLessThanOrEqualTo(box["right"]!.GetValue<double>() + 0.5, $"label {labels[i]["text"]} sticks out of its chart");
                    for (var j = i + 1; j < labels.Count; j++)
                    {
                        Overlap(labels[i], labels[j]).ShouldBeFalse($"at {width} px, in {chart["label"]}: '{labels[i]["text"]}' overlaps '{labels[j]["text"]}'");
                    }
                }
            }

            ThresholdsOf(charts[0]).ShouldBe(["sample-api-p99-latency"]);
            ThresholdsOf(charts[1]).ShouldBeEmpty(); // counts per second: no alarm is on that scale
            ThresholdsOf(charts[2]).ShouldBe(["sample-api-5xx-rate"]);
            charts[2]["series"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldContain("5xx not injected");
        }
    }

    private static List<string> ThresholdsOf(JsonObject chart) =>
        [.. chart["thresholds"]!.AsArray().Select(t => t!["alarm"]!.GetValue<string>())];

    private static bool Overlap(JsonObject a, JsonObject b) =>
        a["x"]!.GetValue<double>() < b["right"]!.GetValue<double>() && b["x"]!.GetValue<double>() < a["right"]!.GetValue<double>()
        && a["y"]!.GetValue<double>() < b["bottom"]!.GetValue<double>() && b["y"]!.GetValue<double>() < a["bottom"]!.GetValue<double>();

    private static async Task<JsonArray> RenderAsync(string report, string shots, string profile, params int[] widths)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = TestPaths.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(TestPaths.RepositoryRoot, "tests", "ServerlessChaos.Cli.Tests", "Report", "report-picture.mjs"), report, shots, Chromium, profile }.Concat(widths.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture))))
        {
            start.ArgumentList.Add(arg);
        }

        using var node = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var stdout = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = node.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        node.ExitCode.ShouldBe(0, await stderr);
        return JsonNode.Parse(await stdout)!.AsArray();
    }
}
