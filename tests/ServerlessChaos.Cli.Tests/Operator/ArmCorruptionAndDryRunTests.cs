using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Tests.Operator;

public class ArmCorruptionAndDryRunTests
{
    private const string Parameter = "/serverless-chaos/functions/orders-api";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static Task<CliRun> Run(FakeAws aws, params string[] args) => Chaos.RunAsync(aws, new ManualTimeProvider(Now), NoEnvironment, args);

    [Fact]
    public async Task Arm_with_corruption_and_no_body_writes_a_garbling_corruption_fault_the_wrapper_reads()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-api", "--corruption", "--rate", "0.25");

        run.ExitCode.ShouldBe(0, run.Error);
        var settings = ChaosSettings.Parse(aws.Value(Parameter)).Settings!;
        var corruption = settings.Faults.Single().ShouldBeOfType<CorruptionFaultSettings>();
        (corruption.Body, corruption.Rate, corruption.DryRun).ShouldBe((null, 0.25, false));
        run.Out.ShouldContain("corrupt the response body (garbled) on 25% of invocations");
    }

    [Fact]
    public async Task Arm_with_a_corruption_body_replaces_the_body_with_it()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-api", "--corruption", """{"items":null}""");

        run.ExitCode.ShouldBe(0, run.Error);
        var corruption = ChaosSettings.Parse(aws.Value(Parameter)).Settings!.Faults.Single().ShouldBeOfType<CorruptionFaultSettings>();
        corruption.Body.ShouldBe("""{"items":null}""");
        run.Out.ShouldContain("replace the response body on 100% of invocations");
    }

    [Fact]
    public async Task Wrapper_dry_run_marks_the_document_so_every_fault_is_logged_and_not_injected()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-api", "--status", "503", "--corruption", "--wrapper-dry-run");

        run.ExitCode.ShouldBe(0, run.Error);
        var document = aws.Value(Parameter)!;
        document.ShouldContain("\"dryRun\":true");
        var faults = ChaosSettings.Parse(document).Settings!.Faults;
        faults.Count.ShouldBe(2);
        faults.ShouldAllBe(f => f.DryRun);
        run.Out.ShouldContain("status code 503 on 100% of invocations (dry run: logged and counted, not injected)");
    }

    [Fact]
    public async Task Without_wrapper_dry_run_the_faults_are_live_and_the_document_has_no_dry_run()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-api", "--corruption");

        run.ExitCode.ShouldBe(0, run.Error);
        aws.Value(Parameter)!.ShouldNotContain("dryRun");
    }

    [Fact]
    public async Task Dry_run_still_only_prints_the_document_with_the_wrapper_dry_run_in_it()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-api", "--corruption", "--wrapper-dry-run", "--dry-run");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("\"type\": \"corruption\"");
        run.Out.ShouldContain("\"dryRun\": true");
        aws.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--corruption x --rate 2", "--rate must be between 0 and 1 (was 2)")]
    [InlineData("--wrapper-dry-run", "nothing to arm: give at least one of --latency, --status, --exception, --timeout, --dependency, --clock-skew, --duplicate-records, --reorder-records, --delay-records, --corruption")]
    public async Task Bad_corruption_and_dry_run_arguments_are_named_exit_2_and_write_nothing(string arguments, string message)
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, ["arm", "orders-api", .. arguments.Split(' ')]);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain(message);
        aws.Parameters.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_corruption_body_over_the_wrappers_limit_is_named_exit_2_and_writes_nothing()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-api", "--corruption", new string('x', (64 * 1024) + 1));

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--corruption body must be at most 65536 characters (was 65537)");
        aws.Parameters.ShouldBeEmpty();
    }
}
