using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.GameDay;

// Whole game days through the chaos command: the sample API under load, local alarms with 1-second periods, the
// repository's state machine on the orchestrator's local runner, and the report. Each takes a few seconds.
public class EndToEndGameDayTests
{
    private static readonly string Experiments = Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Experiments");

    private static async Task<(CliRun Run, JsonNode Report, string Html, string Markdown)> GameDayAsync(string experiment)
    {
        var reportDir = Path.Combine(TestPaths.NewTempDirectory(), "report");
        var run = await Chaos.RunAsync(null, "gameday", Path.Combine(Experiments, experiment), "--alarms", Path.Combine(Experiments, "alarms-fast.json"), "--report", reportDir, "--plain");
        File.Exists(Path.Combine(reportDir, "report.json")).ShouldBeTrue($"no report.json; stdout:\n{run.Out}\nstderr:\n{run.Error}");
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reportDir, "report.json")))!;
        return (run, report, await File.ReadAllTextAsync(Path.Combine(reportDir, "report.html")), await File.ReadAllTextAsync(Path.Combine(reportDir, "report.md")));
    }

    private static string ReportDirOf(CliRun run) =>
        Path.GetDirectoryName(run.Out.Split('\n').Single(l => l.StartsWith("Report: ", StringComparison.Ordinal))["Report: ".Length..].Split(" (")[0])!;

    private static JsonObject Phase(JsonNode report, string name) =>
        report["phases"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == name)!.AsObject();

    private static IEnumerable<string> Strings(JsonNode? array) => array?.AsArray().Select(n => n!.GetValue<string>()) ?? [];

    [Fact]
    public async Task A_small_latency_fault_holds_the_hypothesis_exit_0_and_everything_is_rolled_back()
    {
        var (run, report, html, md) = await GameDayAsync("held.json");

        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        report["verdict"]!.GetValue<string>().ShouldBe("held");
        report["journal"]!["verdict"]!.GetValue<string>().ShouldBe("held");
        Strings(report["journal"]!["armed"]).ShouldContain("/serverless-chaos/functions/sample-api");
        Strings(report["journal"]!["restored"]).ShouldContain("/serverless-chaos/functions/sample-api");
        Phase(report, "baseline")["stats"]!["injected"]!.GetValue<int>().ShouldBe(0);
        Phase(report, "fault injection")["stats"]!["injected"]!.GetValue<int>().ShouldBeGreaterThan(0);
        report["alarmTransitions"]!.AsArray().ShouldNotContain(t => t!["to"]!.GetValue<string>() == "ALARM");
        report["totals"]!["serverErrors"]!.GetValue<int>().ShouldBe(0);
        html.ShouldContain("fault injection");
        html.ShouldContain("<polyline");
        md.ShouldContain("**Verdict: held** (exit code 0)");
        run.Out.ShouldContain("phase: fault injection");
        run.Out.ShouldContain("invoked observe");
        run.Out.ShouldContain("Verdict: held (exit code 0)");
    }

    [Fact]
    public async Task A_status_code_fault_trips_the_5xx_alarm_and_the_run_is_aborted_early_and_rolled_back_exit_2()
    {
        var (run, report, html, md) = await GameDayAsync("aborted.json");

        run.ExitCode.ShouldBe(2, run.Out + run.Error);
        report["verdict"]!.GetValue<string>().ShouldBe("aborted");
        report["alarmTransitions"]!.AsArray().ShouldContain(t => t!["alarm"]!.GetValue<string>() == "sample-api-5xx-rate" && t["to"]!.GetValue<string>() == "ALARM");
        Strings(report["journal"]!["reasons"]).ShouldContain(r => r.Contains("sample-api-5xx-rate", StringComparison.Ordinal));
        Strings(report["journal"]!["restored"]).ShouldContain("/serverless-chaos/functions/sample-api");
        report["durationSeconds"]!.GetValue<double>().ShouldBeLessThan(30); // stopped long before the experiment's 30 s
        Phase(report, "fault injection")["stats"]!["serverErrors"]!.GetValue<int>().ShouldBeGreaterThan(0);
        Phase(report, "report")["stats"]!["injected"]!.GetValue<int>().ShouldBe(0); // rolled back before the report
        html.ShouldContain("sample-api-5xx-rate → ALARM");
        md.ShouldContain("**Verdict: aborted** (exit code 2)");
        run.Out.ShouldContain("alarm         sample-api-5xx-rate → ALARM: ");
        run.Out.ShouldContain("invoked rollback");
        run.Out.ShouldContain("Verdict: aborted (exit code 2)");

        // alarmToRollbackSeconds runs from the alarm going into ALARM to the rollback, as the timeline shows them.
        var wentIntoAlarm = report["alarmTransitions"]!.AsArray().First(t => t!["to"]!.GetValue<string>() == "ALARM")!["atSecond"]!.GetValue<double>();
        var rollbackInvoked = report["timeline"]!.AsArray().First(e => e!["text"]!.GetValue<string>() == "invoked rollback")!["atSecond"]!.GetValue<double>();
        report["journal"]!["alarmToRollbackSeconds"]!.GetValue<double>().ShouldBe(rollbackInvoked - wentIntoAlarm, tolerance: 0.5);
    }

    [Fact]
    public async Task Injected_exceptions_count_as_injected_faults_though_their_502_carries_no_header()
    {
        var (run, report, html, _) = await GameDayAsync("exception.json");

        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        var faults = Phase(report, "fault injection")["stats"]!;
        faults["serverErrors"]!.GetValue<int>().ShouldBeGreaterThan(0);
        faults["injectedErrors"]!.GetValue<int>().ShouldBe(faults["serverErrors"]!.GetValue<int>());
        faults["notInjectedErrors"]!.GetValue<int>().ShouldBe(0);
        var logged = File.ReadAllLines(Path.Combine(ReportDirOf(run), "wrapper-log.jsonl"))
            .Count(l => l.Contains("\"fault\":\"exception\"", StringComparison.Ordinal));
        report["totals"]!["injected"]!.GetValue<int>().ShouldBe(logged);
        run.Out.ShouldContain($"{logged} injected faults");
        html.ShouldContain("5xx not injected");
    }

    [Fact]
    public async Task A_preflight_refusal_prints_its_reason_and_puts_the_dead_letter_in_the_report()
    {
        var (run, report, html, md) = await GameDayAsync("refused.json");

        run.ExitCode.ShouldBe(2, run.Out + run.Error);
        run.Out.ShouldContain("FIS experiment template EXT123 (faults[0]) does not exist");
        report["reason"]!.GetValue<string>().ShouldContain("EXT123");
        report["deadLetters"]!.AsArray().ShouldHaveSingleItem()!["error"]!["Cause"]!.GetValue<string>().ShouldContain("EXT123");
        html.ShouldContain("Dead letters");
        md.ShouldContain("## Dead letters");
    }

    [Fact]
    public async Task Failures_hidden_from_the_alarms_but_seen_by_the_probe_deviate_exit_1()
    {
        var (run, report, _, md) = await GameDayAsync("deviated.json");

        run.ExitCode.ShouldBe(1, run.Out + run.Error);
        report["verdict"]!.GetValue<string>().ShouldBe("deviated");
        var probe = report["journal"]!["probes"]!.AsArray().ShouldHaveSingleItem()!;
        probe["met"]!.GetValue<bool>().ShouldBeFalse();
        report["alarmTransitions"]!.AsArray().ShouldNotContain(t => t!["to"]!.GetValue<string>() == "ALARM");
        Strings(report["journal"]!["reasons"]).ShouldContain(r => r.Contains("5xx", StringComparison.Ordinal));
        md.ShouldContain("**Verdict: deviated** (exit code 1)");
        run.Out.ShouldContain("Verdict: deviated (exit code 1)");
    }

    [Fact]
    public async Task With_junit_and_json_the_run_writes_a_junit_file_and_prints_only_report_json_on_stdout()
    {
        var dir = TestPaths.NewTempDirectory();
        var junit = Path.Combine(dir, "results", "gameday.xml");

        var run = await Chaos.RunAsync(null, "gameday", Path.Combine(Experiments, "held.json"), "--alarms", Path.Combine(Experiments, "alarms-fast.json"),
            "--report", Path.Combine(dir, "report"), "--junit", junit, "--json");

        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        JsonNode.Parse(run.Out)!["verdict"]!.GetValue<string>().ShouldBe("held");
        run.Error.ShouldContain("Verdict: held (exit code 0)");
        var testCase = System.Xml.Linq.XDocument.Load(junit).Root!.Descendants("testcase").ShouldHaveSingleItem();
        testCase.Attribute("name")!.Value.ShouldBe("test-held");
        testCase.Element("failure").ShouldBeNull();
    }

    [Fact]
    public async Task A_bad_experiment_file_gets_the_state_machines_validation_errors_and_exit_2_without_running()
    {
        var file = Path.Combine(TestPaths.NewTempDirectory(), "bad.json");
        await File.WriteAllTextAsync(file, """{ "version": 2, "name": "x", "hypothesis": { "alarms": ["sample-api-5xx-rate"] }, "faults": [ { "wrapper": { "parameter": "/other/sample-api", "settings": { "version": 1, "faults": [ { "type": "latency", "rate": 3, "minMs": 1 } ] } } } ], "durationSeconds": 5 }""");
        var reportDir = Path.Combine(Path.GetDirectoryName(file)!, "report");

        var run = await Chaos.RunAsync(null, "gameday", file, "--report", reportDir, "--plain");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("is not a valid experiment");
        run.Error.ShouldContain("version");
        run.Error.ShouldContain("faults[0].wrapper.parameter");
        Directory.Exists(reportDir).ShouldBeFalse();
    }

    [Fact]
    public async Task An_experiment_whose_hypothesis_names_an_alarm_the_game_day_does_not_define_is_refused()
    {
        var file = Path.Combine(TestPaths.NewTempDirectory(), "unknown-alarm.json");
        var text = (await File.ReadAllTextAsync(Path.Combine(Experiments, "held.json"))).Replace("\"sample-api-5xx-rate\"", "\"checkout-5xx\"", StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text);

        var run = await Chaos.RunAsync(null, "gameday", file, "--plain");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("hypothesis.alarms names checkout-5xx, which the local game day does not define");
    }
}
