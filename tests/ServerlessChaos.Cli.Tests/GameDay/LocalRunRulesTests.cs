using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.GameDay;

// What a local game day refuses before it starts anything: each a one-line reason naming the field, exit 2, no report.
public class LocalRunRulesTests
{
    private static readonly string Experiments = Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Experiments");

    private static async Task<(CliRun Run, string ReportDir)> GameDayWithAsync(string experimentJson, params string[] extra)
    {
        var dir = TestPaths.NewTempDirectory();
        var file = Path.Combine(dir, "experiment.json");
        await File.WriteAllTextAsync(file, experimentJson);
        var reportDir = Path.Combine(dir, "report");
        var run = await Chaos.RunAsync(null, ["gameday", file, "--report", reportDir, "--plain", .. extra]);
        return (run, reportDir);
    }

    private static string Experiment(string faults, int duration = 4) => $$"""
        { "version": 1, "name": "rules", "hypothesis": { "alarms": ["sample-api-5xx-rate"], "recoveryWindowSeconds": 10 },
          "faults": [ {{faults}} ], "durationSeconds": {{duration}}, "pollIntervalSeconds": 1, "abortBudgetSeconds": 60 }
        """;

    private const string SampleFault = """{ "wrapper": { "parameter": "/serverless-chaos/functions/sample-api", "settings": { "version": 1, "faults": [ { "type": "latency", "rate": 0.1, "minMs": 10, "maxMs": 20 } ] } } }""";

    [Fact]
    public async Task A_wrapper_fault_aimed_at_a_function_the_game_day_does_not_serve_is_an_error_not_a_pass()
    {
        var (run, reportDir) = await GameDayWithAsync(Experiment("""{ "wrapper": { "parameter": "/serverless-chaos/functions/checkout", "settings": { "version": 1, "faults": [ { "type": "latency", "rate": 1, "minMs": 10, "maxMs": 20 } ] } } }"""));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("faults[0].wrapper.parameter is /serverless-chaos/functions/checkout, which no function of this game day reads (it serves /serverless-chaos/functions/sample-api)");
        Directory.Exists(reportDir).ShouldBeFalse();
    }

    [Fact]
    public async Task A_plan_whose_experiments_fit_one_by_one_but_not_one_after_another_is_refused_before_anything_starts()
    {
        var dir = TestPaths.NewTempDirectory();
        var plan = Path.Combine(dir, "plan.json");
        await File.WriteAllTextAsync(plan, $$"""{ "name": "too-long", "experiments": [ {{Experiment(SampleFault, 500)}}, {{Experiment(SampleFault, 500)}} ] }""");

        var run = await Chaos.RunAsync(null, "gameday", "--plan", plan, "--report", Path.Combine(dir, "report"), "--plain");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("experiments: the 2 experiments need up to ");
        run.Error.ShouldContain("more than a local game day runs (15 min)");
        run.Error.ShouldNotContain("   at ");
        Directory.Exists(Path.Combine(dir, "report")).ShouldBeFalse();
    }

    [Fact]
    public async Task A_plan_file_with_a_bad_field_is_one_error_per_field_and_exit_2()
    {
        var dir = TestPaths.NewTempDirectory();
        var plan = Path.Combine(dir, "plan.json");
        await File.WriteAllTextAsync(plan, """{ "name": "bad", "experiments": [ "missing.json" ], "service": { "tasks": 1 }, "colour": "red" }""");

        var run = await Chaos.RunAsync(null, "gameday", "--plan", plan, "--plain");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("plan.json is not a valid game-day plan:");
        run.Error.ShouldContain("experiments[0]: experiment file missing.json does not exist");
        run.Error.ShouldContain("service.tasks must be between 2 and 10 (was 1)");
        run.Error.ShouldContain("colour is not a known field");
        run.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Both_an_experiment_file_and_a_plan_is_a_one_line_error()
    {
        var run = await Chaos.RunAsync(null, "gameday", Path.Combine(Experiments, "held.json"), "--plan", Path.Combine(TestPaths.RepositoryRoot, "events", "gamedays", "default.json"));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("give either an experiment file or --plan, not both");
        run.Error.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task A_wrapper_fault_with_empty_faults_is_an_error()
    {
        var (run, _) = await GameDayWithAsync(Experiment("""{ "wrapper": { "parameter": "/serverless-chaos/functions/sample-api", "settings": { "version": 1, "faults": [] } } }"""));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("faults[0].wrapper.settings.faults is empty: the game day would inject nothing");
    }

    [Fact]
    public async Task A_probe_aimed_at_a_host_off_this_machine_is_refused_without_sending_anything()
    {
        var probe = """{ "httpLoad": { "url": "https://example.execute-api.eu-west-1.amazonaws.com/prod/items", "method": "POST", "ratePerSecond": 5, "durationSeconds": 2, "variant": "malformedBody", "expect": { "no5xx": true } } }""";
        var (run, reportDir) = await GameDayWithAsync(Experiment(SampleFault + "," + probe));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("faults[1].httpLoad.url https://example.execute-api.eu-west-1.amazonaws.com/prod/items is not on 127.0.0.1 or localhost");
        run.Error.ShouldContain("--allow-remote-targets");
        Directory.Exists(reportDir).ShouldBeFalse();
    }

    [Fact]
    public void Loopback_addresses_and_localhost_are_this_machine_and_look_alikes_are_not()
    {
        ServerlessChaos.Cli.GameDay.LocalRunRules.IsLoopback("http://127.0.0.1:8080/x").ShouldBeTrue();
        ServerlessChaos.Cli.GameDay.LocalRunRules.IsLoopback("http://localhost/x").ShouldBeTrue();
        ServerlessChaos.Cli.GameDay.LocalRunRules.IsLoopback("http://[::1]:9/").ShouldBeTrue();
        ServerlessChaos.Cli.GameDay.LocalRunRules.IsLoopback("http://localhost.example.com/").ShouldBeFalse();
        ServerlessChaos.Cli.GameDay.LocalRunRules.IsLoopback("http://10.0.0.1/").ShouldBeFalse();
    }

    [Fact]
    public async Task A_duration_longer_than_a_local_run_can_finish_is_refused_up_front()
    {
        var (run, _) = await GameDayWithAsync(Experiment(SampleFault, duration: 43200));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("durationSeconds is 43200, more than a local game day can run: it stops after 15 min");
        run.Error.ShouldContain("chaos start");
    }

    [Theory]
    [InlineData("abc", "Cannot parse argument 'abc' for option '--rate'")]
    [InlineData("0", "--rate must be between 1 and 500 requests per second (was 0)")]
    public async Task A_bad_rate_is_a_one_line_error_with_exit_2_never_a_stack_trace(string rate, string message)
    {
        var run = await Chaos.RunAsync(null, "gameday", Path.Combine(Experiments, "held.json"), "--rate", rate);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain(message);
        run.Error.ShouldNotContain("   at ");
        run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(2); // the error and the usage hint
    }

    [Fact]
    public void Every_shipped_experiment_aimed_at_an_AWS_endpoint_says_it_is_for_chaos_start()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(TestPaths.RepositoryRoot, "events", "experiments"), "*.json"))
        {
            var text = File.ReadAllText(file);
            if (text.Contains("amazonaws.com", StringComparison.Ordinal))
            {
                System.Text.Json.Nodes.JsonNode.Parse(text)!["description"]!.GetValue<string>().ShouldContain("chaos start", customMessage: file);
            }
        }
    }
}
