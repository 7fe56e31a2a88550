using System.Text.Json.Nodes;
using System.Xml.Linq;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.GameDay;

// One whole plan through the chaos command (about 40 s): the sample API as a local ECS-style service, a task stopped by
// the local FIS engine's aws:ecs:stop-task, then two experiment files; JUnit and JSON for the pipeline.
public class PlanGameDayTests
{
    private static readonly string Plans = Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Plans");

    private static IEnumerable<string> Texts(JsonNode section) => section["timeline"]!.AsArray().Select(e => e!["text"]!.GetValue<string>());

    [Fact]
    public async Task A_plan_runs_its_experiments_in_order_stops_a_task_users_see_the_cascade_and_the_worst_verdict_is_the_exit_code_and_junit()
    {
        var dir = TestPaths.NewTempDirectory();
        var junit = Path.Combine(dir, "gameday.xml");

        var run = await Chaos.RunAsync(null, "gameday", "--plan", Path.Combine(Plans, "ecs-plan.json"), "--report", Path.Combine(dir, "report"), "--junit", junit, "--json");

        // The worst of held, held, deviated.
        run.ExitCode.ShouldBe(1, run.Out + run.Error);
        var report = JsonNode.Parse(run.Out)!;
        report["plan"]!.GetValue<string>().ShouldBe("test-ecs-plan");
        report["verdict"]!.GetValue<string>().ShouldBe("deviated");
        var experiments = report["experiments"]!.AsArray().Select(e => e!).ToList();
        experiments.Select(e => e["experiment"]!.GetValue<string>()).ShouldBe(["test-task-stop", "test-held", "test-deviated"]);
        experiments.Select(e => e["verdict"]!.GetValue<string>()).ShouldBe(["held", "held", "deviated"]);

        // In order, each after its own steady-state wait.
        var starts = experiments.Select(e => e["startedAt"]!.GetValue<string>()).ToList();
        starts.ShouldBe([.. starts.Order(StringComparer.Ordinal)]);
        experiments.Skip(1).ShouldAllBe(e => e["phases"]!.AsArray()[0]!["name"]!.GetValue<string>() == "baseline");

        // The task stop: one task killed, the front stops routing to it after its failed checks, a replacement joins.
        var stop = experiments[0];
        var timeline = Texts(stop).ToList();
        timeline.ShouldContain(t => t.StartsWith("task 1 stopped by FIS experiment", StringComparison.Ordinal) && t.Contains("aws:ecs:stop-task", StringComparison.Ordinal));
        timeline.ShouldContain(t => t.StartsWith("front: task 1 failed 3 health checks in a row", StringComparison.Ordinal));
        Texts(report).ShouldContain(t => t.StartsWith("task 4 started on http://127.0.0.1:", StringComparison.Ordinal));
        Texts(report).ShouldContain(t => t.StartsWith("front: task 4 passed 3 health checks", StringComparison.Ordinal));

        // Each task was an OS process of its own (not this one), and none outlives the game day.
        var pids = Texts(report).Select(t => System.Text.RegularExpressions.Regex.Match(t, @"^task \d+ started on .* \(process (\d+)\)$")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        pids.Count.ShouldBe(4);
        pids.Distinct().Count().ShouldBe(4);
        pids.ShouldNotContain(Environment.ProcessId);
        pids.ShouldAllBe(pid => !Directory.Exists($"/proc/{pid}"), "a sample-api task process is still running");

        // Users noticed: 502s that nothing injected (the cascade), and none injected, since the stop is no wrapper fault.
        stop["totals"]!["notInjectedErrors"]!.GetValue<int>().ShouldBeGreaterThan(0);
        stop["totals"]!["injected"]!.GetValue<int>().ShouldBe(0);
        experiments[2]["totals"]!["injectedErrors"]!.GetValue<int>().ShouldBeGreaterThan(0);
        report["totals"]!["notInjectedErrors"]!.GetValue<int>().ShouldBeGreaterThanOrEqualTo(stop["totals"]!["notInjectedErrors"]!.GetValue<int>());

        // One test case per experiment; the one that did not hold is a failure carrying its verdict and reason.
        var cases = XDocument.Load(junit).Root!.Descendants("testcase").ToList();
        cases.Select(c => c.Attribute("name")!.Value).ShouldBe(["test-task-stop", "test-held", "test-deviated"]);
        cases.Take(2).ShouldAllBe(c => c.Element("failure") == null);
        var failure = cases[2].Element("failure")!;
        failure.Attribute("type")!.Value.ShouldBe("deviated");
        failure.Attribute("message")!.Value.ShouldBe(experiments[2]["reason"]!.GetValue<string>());
        failure.Attribute("message")!.Value.ShouldContain("/orders/7");

        // The summary names each experiment; the HTML report has a section each.
        run.Error.ShouldContain("Verdict: deviated (exit code 1) — 2 held, 1 deviated — test-deviated deviated: ");
        run.Error.ShouldContain("  1. test-task-stop: held");
        var html = await File.ReadAllTextAsync(Path.Combine(dir, "report", "report.html"));
        html.ShouldContain("id=\"experiment-3\"");
        html.ShouldContain("class=\"threshold\"");
    }

    [Fact]
    public async Task The_corruption_experiment_counts_its_bad_bodies_as_injected_and_the_dry_run_injects_nothing_but_shows_what_it_would_have()
    {
        var dir = TestPaths.NewTempDirectory();

        var run = await Chaos.RunAsync(null, "gameday", "--plan", Path.Combine(Plans, "corruption-and-dry-run.json"), "--report", Path.Combine(dir, "report"), "--json");

        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        var report = JsonNode.Parse(run.Out)!;
        var (corruption, dryRun) = (report["experiments"]![0]!, report["experiments"]![1]!);
        corruption["experiment"]!.GetValue<string>().ShouldBe("gameday-corruption");
        dryRun["experiment"]!.GetValue<string>().ShouldBe("gameday-dry-run");

        // Corruption: 200s with garbled or replaced bodies, each carrying the wrapper's marker, so counted as injected.
        var injectedPhase = corruption["phases"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "fault injection")!["stats"]!;
        injectedPhase["injected"]!.GetValue<int>().ShouldBeGreaterThan(injectedPhase["requests"]!.GetValue<int>() / 5);
        corruption["totals"]!["notInjectedErrors"]!.GetValue<int>().ShouldBe(0);
        var wrapperLog = await File.ReadAllLinesAsync(Path.Combine(dir, "report", "wrapper-log.jsonl"));
        wrapperLog.ShouldContain(l => l.Contains("\"fault\":\"corruption\"", StringComparison.Ordinal));

        // Dry run: nothing injected (no 503, no 1.5 s delay), but the wrapper's would-have-injected count is in the report.
        dryRun["totals"]!["injected"]!.GetValue<int>().ShouldBe(0);
        dryRun["totals"]!["serverErrors"]!.GetValue<int>().ShouldBe(0);
        dryRun["totals"]!["p99Ms"]!.GetValue<double>().ShouldBeLessThan(1500); // half the requests would take 1.5 s or more if the delay were injected
        dryRun["totals"]!["wouldInject"]!.GetValue<int>().ShouldBeGreaterThan(dryRun["totals"]!["requests"]!.GetValue<int>() / 4);
        run.Error.ShouldContain("a dry run would have injected");
        var html = await File.ReadAllTextAsync(Path.Combine(dir, "report", "report.html"));
        html.ShouldContain("a dry run would have injected into");
    }
}
