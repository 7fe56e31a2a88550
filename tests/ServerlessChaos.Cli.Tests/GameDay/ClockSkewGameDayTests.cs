using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.GameDay;

// The repository's clock-skew game day, run as a user would run it (with the fast test alarms): the sample API's
// inventory freshness check trusts its clock, so the skewed clock turns fresh counts into 503s.
public class ClockSkewGameDayTests
{
    [Fact]
    public async Task A_clock_two_minutes_ahead_makes_fresh_inventory_look_stale_the_5xx_alarm_fires_and_the_run_is_rolled_back()
    {
        var reportDir = Path.Combine(TestPaths.NewTempDirectory(), "report");
        var run = await Chaos.RunAsync(null, "gameday", Path.Combine(TestPaths.RepositoryRoot, "events/experiments/gameday-clock-skew.json"),
            "--alarms", Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Experiments/alarms-fast.json"), "--report", reportDir, "--plain");
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reportDir, "report.json")))!;

        run.ExitCode.ShouldBe(2, run.Out + run.Error);
        report["verdict"]!.GetValue<string>().ShouldBe("aborted");
        report["alarmTransitions"]!.AsArray().ShouldContain(t => t!["alarm"]!.GetValue<string>() == "sample-api-5xx-rate" && t["to"]!.GetValue<string>() == "ALARM");
        report["journal"]!["restored"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain("/serverless-chaos/functions/sample-api");
        var phases = report["phases"]!.AsArray();
        var baseline = phases.Single(p => p!["name"]!.GetValue<string>() == "baseline")!["stats"]!;
        var injection = phases.Single(p => p!["name"]!.GetValue<string>() == "fault injection")!["stats"]!;
        baseline["serverErrors"]!.GetValue<int>().ShouldBe(0, "with true time every inventory count is fresh");
        injection["serverErrors"]!.GetValue<int>().ShouldBeGreaterThan(0);
        injection["notInjectedErrors"]!.GetValue<int>().ShouldBe(0, "every 503 came from an invocation whose clock was skewed");
    }
}
