using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Tests.Operator;

public class ArmEventAndClockFaultTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static Task<CliRun> Run(FakeAws aws, params string[] args) => Chaos.RunAsync(aws, new ManualTimeProvider(Now), NoEnvironment, args);

    [Fact]
    public async Task Arm_with_a_clock_skew_writes_a_clock_skew_the_wrapper_reads_and_says_what_it_armed()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "token-checker", "--clock-skew", "-90s", "--clock-drift", "+1s", "--rate", "0.5");

        run.ExitCode.ShouldBe(0, run.Error);
        var skew = ChaosSettings.Parse(aws.Value("/serverless-chaos/functions/token-checker")).Settings!.Faults.Single().ShouldBeOfType<ClockSkewFaultSettings>();
        (skew.OffsetMs, skew.DriftMs, skew.Rate).ShouldBe((-90_000L, 1000L, 0.5));
        run.Out.ShouldContain("clock skew -90000 ms drifting +1000 ms per hit on 50% of invocations");
    }

    [Fact]
    public async Task Arm_with_the_event_source_flags_writes_one_fault_each_with_their_values()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-consumer", "--duplicate-records", "batch", "--reorder-records", "reverse", "--delay-records", "0.3", "--report-batch-item-failures");

        run.ExitCode.ShouldBe(0, run.Error);
        var faults = ChaosSettings.Parse(aws.Value("/serverless-chaos/functions/orders-consumer")).Settings!.Faults;
        faults[0].ShouldBeOfType<DuplicateRecordsFaultSettings>().Mode.ShouldBe(DuplicateMode.Batch);
        faults[1].ShouldBeOfType<ReorderRecordsFaultSettings>().Order.ShouldBe(RecordOrder.Reverse);
        faults[2].ShouldBeOfType<DelayRecordsFaultSettings>().Share.ShouldBe(0.3);
        run.Out.ShouldContain("delay 30% of records on 100% of invocations");
    }

    [Fact]
    public async Task Flags_without_values_take_the_wrappers_defaults()
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, "arm", "orders-consumer", "--duplicate-records", "--reorder-records", "--dry-run");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("\"type\": \"duplicateRecords\"");
        run.Out.ShouldContain("\"order\": \"shuffle\"");
        aws.Calls.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("--delay-records", "--delay-records needs --report-batch-item-failures")]
    [InlineData("--delay-records 0 --report-batch-item-failures", "--delay-records must be a share of the records such as 0.3, above 0 and at most 1 (was \"0\")")]
    [InlineData("--duplicate-records twice", "--duplicate-records must be a share of the records such as 0.2, or batch, above 0 and at most 1 (was \"twice\")")]
    [InlineData("--reorder-records sorted", "--reorder-records must be shuffle or reverse (was \"sorted\")")]
    [InlineData("--clock-skew soon", "--clock-skew must be a duration like 500ms, 30s, 10m or 1h30m (was \"soon\")")]
    [InlineData("--clock-skew 400d", "--clock-skew must be a duration")]
    [InlineData("--clock-skew 9000h", "settings.faults[0].offsetMs must be between -31622400000 and 31622400000")]
    public async Task Bad_event_and_clock_flags_are_named_exit_2_and_write_nothing(string arguments, string message)
    {
        await using var aws = await FakeAws.StartAsync();

        var run = await Run(aws, ["arm", "orders-consumer", .. arguments.Split(' ')]);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain(message);
        aws.Parameters.ShouldBeEmpty();
    }
}
