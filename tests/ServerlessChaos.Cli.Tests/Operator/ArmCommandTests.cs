using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Tests.Operator;

public class ArmCommandTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static Task<CliRun> Run(FakeAws aws, params string[] args) => Chaos.RunAsync(aws, new ManualTimeProvider(Now), NoEnvironment, args);

    [Fact]
    public async Task Arm_writes_wrapper_settings_that_the_wrapper_parses_as_armed_until_the_expiry()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "checkout", "--latency", "200-800ms", "--status", "503", "--rate", "0.2", "--for", "10m", "--experiment-id", "checkout-latency");

        run.ExitCode.ShouldBe(0, run.Error);
        var value = aws.Value("/serverless-chaos/functions/checkout").ShouldNotBeNull();
        var settings = ChaosSettings.Parse(value).Settings.ShouldNotBeNull();
        settings.IsArmedAt(Now.AddMinutes(9)).ShouldBeTrue();
        settings.IsArmedAt(Now.AddMinutes(10)).ShouldBeFalse();
        settings.ExperimentId.ShouldBe("checkout-latency");
        settings.Faults.Select(f => (f.Type, f.Rate)).ShouldBe([("latency", 0.2), ("statusCode", 0.2)]);
        var latency = JsonNode.Parse(value)!["faults"]![0]!;
        latency["minMs"]!.GetValue<int>().ShouldBe(200);
        latency["maxMs"]!.GetValue<int>().ShouldBe(800);
        run.Out.ShouldContain("Armed /serverless-chaos/functions/checkout until 2026-11-22 01:10:00 UTC");
        run.Out.ShouldContain("latency 200-800 ms on 20% of invocations");
    }

    [Fact]
    public async Task Arm_with_a_full_parameter_name_and_a_dependency_fault_writes_that_parameter()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "/team/params/orders", "--dependency", "*.dynamodb.*.amazonaws.com", "--dependency-fault", "status:400:ThrottlingException", "--rate", "0.5");

        run.ExitCode.ShouldBe(0, run.Error);
        var fault = JsonNode.Parse(aws.Value("/team/params/orders")!)!["faults"]![0]!;
        fault["type"]!.GetValue<string>().ShouldBe("dependency");
        fault["hosts"]![0]!.GetValue<string>().ShouldBe("*.dynamodb.*.amazonaws.com");
        fault["fault"]!["statusCode"]!.GetValue<int>().ShouldBe(400);
        fault["fault"]!["errorCode"]!.GetValue<string>().ShouldBe("ThrottlingException");
    }

    [Fact]
    public async Task Arm_refuses_while_halted_and_writes_nothing()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put("/serverless-chaos/halt", """{"halted":true}""");

        var run = await Run(aws, "arm", "checkout", "--exception");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("chaos is halted (/serverless-chaos/halt is set)");
        aws.Value("/serverless-chaos/functions/checkout").ShouldBeNull();
    }

    [Fact]
    public async Task Arm_dry_run_prints_the_document_and_calls_nothing()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "checkout", "--exception", "TimeoutException", "--dry-run");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("\"exceptionType\": \"TimeoutException\"");
        run.Out.ShouldContain("\"expiresAt\": \"2026-11-22T01:15:00Z\"");
        aws.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--rate 1.5 --status 503", "--rate must be between 0 and 1 (was 1.5)")]
    [InlineData("--latency fast", "--latency must be a latency like 300ms or a range like 200-800ms (was \"fast\")")]
    [InlineData("--latency 800-200ms", "--latency range must go from low to high")]
    [InlineData("--status 503 --for 2d", "--for must be a duration like 500ms, 30s, 10m or 1h30m (was \"2d\")")]
    [InlineData("--status 503 --for 25h", "--for must be more than 0 and at most 24h")]
    [InlineData("--rate 0.5", "nothing to arm: give at least one of --latency, --status, --exception, --timeout, --dependency")]
    [InlineData("--status 700", "settings.faults[0].statusCode")]
    [InlineData("--exception NoSuchException", "settings.faults[0].exceptionType must be one of")]
    [InlineData("--status abc", "abc")]
    public async Task Bad_arguments_are_named_exit_2_and_write_nothing(string arguments, string message)
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, ["arm", "checkout", .. arguments.Split(' ')]);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain(message);
        aws.Parameters.ShouldBeEmpty();
    }

    [Fact]
    public async Task Disarm_puts_back_what_was_there_and_all_disarms_only_what_is_armed()
    {
        await using var aws = await FakeAws.StartAsync();
        const string baseline = """{"version":1,"enabled":false,"note":"deployed by CDK"}""";
        aws.Put("/serverless-chaos/functions/a", baseline);
        aws.Put("/serverless-chaos/functions/b", baseline);
        (await Run(aws, "arm", "a", "--status", "503")).ExitCode.ShouldBe(0);
        (await Run(aws, "arm", "b", "--status", "503")).ExitCode.ShouldBe(0);
        (await Run(aws, "arm", "c", "--status", "503")).ExitCode.ShouldBe(0);
        aws.Put("/serverless-chaos/functions/armed-elsewhere", Armed(Now.AddMinutes(5)));
        aws.Put("/serverless-chaos/functions/idle", """{"version":1,"enabled":false}""");

        var one = await Run(aws, "disarm", "a");
        one.ExitCode.ShouldBe(0, one.Error);
        aws.Value("/serverless-chaos/functions/a").ShouldBe(baseline);
        one.Out.ShouldContain("Restored /serverless-chaos/functions/a to its value before chaos arm");

        var all = await Run(aws, "disarm", "--all");
        all.ExitCode.ShouldBe(0, all.Error);
        aws.Value("/serverless-chaos/functions/b").ShouldBe(baseline);
        aws.Value("/serverless-chaos/functions/c").ShouldBeNull(); // it did not exist before chaos arm
        all.Out.ShouldContain("Deleted /serverless-chaos/functions/c, which did not exist before chaos arm");
        aws.Value("/serverless-chaos/functions/armed-elsewhere").ShouldBe(ChaosConventions.DisarmedDocument); // no ledger: the baseline
        all.Out.ShouldContain("Disarmed /serverless-chaos/functions/armed-elsewhere");
        all.Out.ShouldNotContain("idle");
        all.Out.ShouldContain("Disarmed.");
        aws.Parameters.Keys.ShouldNotContain(k => k.StartsWith(ChaosConventions.LedgerPrefix, StringComparison.Ordinal));
        aws.Parameters.Values.ShouldAllBe(p => ChaosSettings.Parse(p.Value).Settings!.IsArmedAt(Now) == false);
    }

    private static string Armed(DateTimeOffset until) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{until:yyyy-MM-ddTHH:mm:ssZ}}","experimentId":"someone","faults":[{"type":"statusCode","rate":1,"statusCode":503}]}""";

    [Fact]
    public async Task Disarm_without_targets_or_all_is_an_argument_error()
    {
        var run = await Chaos.RunAsync(null, "disarm");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("say what to disarm");
        run.Error.ShouldContain("Run 'chaos disarm --help'");
    }

    [Fact]
    public async Task An_unknown_command_or_option_is_exit_2_with_the_token_named()
    {
        var run = await Chaos.RunAsync(null, "arm", "checkout", "--latnecy", "200ms");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--latnecy");
    }

    [Fact]
    public async Task Help_lists_every_command()
    {
        var run = await Chaos.RunAsync(null, "--help");
        run.ExitCode.ShouldBe(0);
        foreach (var command in new[] { "gameday", "arm", "disarm" })
        {
            run.Out.ShouldContain(command);
        }
    }
}
