using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Tests.Operator;

public class HaltAndStatusTests
{
    private const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:serverless-chaos-experiment";
    private const string OtherMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:someone-else";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static string Armed(DateTimeOffset until, string faults = """[{"type":"latency","rate":0.25,"minMs":200,"maxMs":800}]""") =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{until:yyyy-MM-ddTHH:mm:ssZ}}","experimentId":"exp-1","faults":{{faults}}}""";

    private static async Task<FakeAws> AccountWithAMixAsync()
    {
        var aws = await FakeAws.StartAsync();
        aws.Put("/serverless-chaos/functions/checkout", Armed(Now.AddMinutes(10)));
        aws.Put("/serverless-chaos/functions/team/orders", Armed(Now.AddMinutes(5), """[{"type":"statusCode","rate":1,"statusCode":503}]"""));
        aws.Put("/serverless-chaos/functions/idle", """{"version":1,"enabled":false}""");
        aws.Put("/serverless-chaos/functions/old", Armed(Now.AddMinutes(-1)));
        aws.Put("/serverless-chaos/functions/broken", """{"version":1,"enabled":true,"faults":[{"type":"latency","rate":1.5,"minMs":1}]}""");
        aws.Put("/elsewhere/functions/x", Armed(Now.AddMinutes(10)));
        aws.StateMachines[StateMachine] = "serverless-chaos-experiment";
        aws.StateMachines[OtherMachine] = "someone-else";
        foreach (var (name, machine, status) in new[] { ("run-1", StateMachine, "RUNNING"), ("run-2", StateMachine, "RUNNING"), ("done", StateMachine, "SUCCEEDED"), ("theirs", OtherMachine, "RUNNING") })
        {
            var arn = machine.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name;
            aws.Executions[arn] = new FakeExecution { Arn = arn, StateMachineArn = machine, Name = name, Status = status };
        }

        aws.FisExperiments["EXPmanagedrun"] = new FakeFisExperiment { Id = "EXPmanagedrun", Status = "running", Tags = new() { ["serverless-chaos:managed"] = "true", ["serverless-chaos:experiment"] = "checkout-latency" } };
        aws.FisExperiments["EXPmanagedpend"] = new FakeFisExperiment { Id = "EXPmanagedpend", Status = "pending", Tags = new() { ["serverless-chaos:managed"] = "true" } };
        aws.FisExperiments["EXPmanageddone"] = new FakeFisExperiment { Id = "EXPmanageddone", Status = "completed", Tags = new() { ["serverless-chaos:managed"] = "true" } };
        aws.FisExperiments["EXPunmanaged"] = new FakeFisExperiment { Id = "EXPunmanaged", Status = "running", Tags = new() { ["team"] = "other" } };
        return aws;
    }

    private static Task<CliRun> Run(FakeAws aws, params string[] args) =>
        Chaos.RunAsync(aws, new ManualTimeProvider(Now), new Dictionary<string, string> { ["SERVERLESS_CHAOS_STATE_MACHINE_ARN"] = StateMachine }, args);

    [Fact]
    public async Task Status_shows_armed_parameters_with_faults_and_expiry_the_halt_state_executions_and_managed_fis_experiments()
    {
        await using var aws = await AccountWithAMixAsync();

        var run = await Run(aws, "status");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("Halt: not halted (/serverless-chaos/halt does not exist)");
        run.Out.ShouldContain("Parameters under /serverless-chaos/functions/: 2 armed of 5");
        run.Out.ShouldContain("/serverless-chaos/functions/checkout  ARMED until 2026-11-22 01:10:00 UTC (10m 0s left), experiment exp-1");
        run.Out.ShouldContain("latency 200-800 ms on 25% of invocations");
        run.Out.ShouldContain("/serverless-chaos/functions/team/orders  ARMED until 2026-11-22 01:05:00 UTC");
        run.Out.ShouldContain("status code 503 on 100% of invocations");
        run.Out.ShouldContain("/serverless-chaos/functions/idle  disarmed");
        run.Out.ShouldContain("/serverless-chaos/functions/old  expired 2026-11-22 00:59:00 UTC");
        run.Out.ShouldContain("/serverless-chaos/functions/broken  INVALID: ");
        run.Out.ShouldContain("settings.faults[0].rate must be between 0 and 1 (was 1.5)");
        run.Out.ShouldNotContain("/elsewhere");
        run.Out.ShouldContain($"Running executions of {StateMachine}: 2");
        run.Out.ShouldNotContain("theirs");
        run.Out.ShouldContain("Running FIS experiments tagged serverless-chaos:managed=true: 2");
        run.Out.ShouldContain("EXPmanagedrun  running");
        run.Out.ShouldNotContain("EXPunmanaged");
        aws.Calls.ShouldNotContain(c => c.Contains("Put", StringComparison.Ordinal) || c.Contains("Stop", StringComparison.Ordinal) || c.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Halt_sets_the_halt_switch_stops_executions_and_managed_experiments_and_disarms_every_armed_parameter()
    {
        await using var aws = await AccountWithAMixAsync();

        var run = await Run(aws, "halt", "--reason", "checkout is on fire");

        run.ExitCode.ShouldBe(0, run.Error);
        var halt = JsonNode.Parse(aws.Value("/serverless-chaos/halt")!)!;
        halt["halted"]!.GetValue<bool>().ShouldBeTrue();
        halt["reason"]!.GetValue<string>().ShouldBe("checkout is on fire");
        HaltValue.IsHalted(aws.Value("/serverless-chaos/halt")).ShouldBeTrue();

        aws.Executions.Values.Where(e => e.StateMachineArn == StateMachine && e.Name.StartsWith("run-", StringComparison.Ordinal)).ShouldAllBe(e => e.Status == "ABORTED" && e.Cause == "checkout is on fire");
        aws.Executions.Values.Single(e => e.Name == "done").Status.ShouldBe("SUCCEEDED");
        aws.Executions.Values.Single(e => e.Name == "theirs").Status.ShouldBe("RUNNING");

        aws.FisExperiments["EXPmanagedrun"].Status.ShouldBe("stopping");
        aws.FisExperiments["EXPmanagedpend"].Status.ShouldBe("stopping");
        aws.FisExperiments["EXPmanageddone"].Status.ShouldBe("completed");
        aws.FisExperiments["EXPunmanaged"].Status.ShouldBe("running");

        aws.Value("/serverless-chaos/functions/checkout").ShouldBe("""{"version":1,"enabled":false}""");
        aws.Value("/serverless-chaos/functions/team/orders").ShouldBe("""{"version":1,"enabled":false}""");
        aws.Value("/serverless-chaos/functions/broken")!.ShouldContain("1.5"); // not armed (invalid), left for a human
        aws.Value("/elsewhere/functions/x")!.ShouldContain("\"enabled\":true"); // outside the prefix

        run.Out.ShouldContain("Set halt parameter /serverless-chaos/halt");
        run.Out.ShouldContain("Stopped execution run-1");
        run.Out.ShouldContain("Stopped execution run-2");
        run.Out.ShouldContain("Stopped FIS experiment EXPmanagedrun");
        run.Out.ShouldContain("Stopped FIS experiment EXPmanagedpend");
        run.Out.ShouldContain("Disarmed /serverless-chaos/functions/checkout");
        run.Out.ShouldContain("Disarmed /serverless-chaos/functions/team/orders");
        // The switch goes first, so wrappers stop injecting before anything else happens.
        aws.Calls.First(c => c == "AmazonSSM.PutParameter").ShouldBe(aws.Calls.First(c => c.Contains("Put") || c.Contains("Stop") || c.StartsWith("DELETE", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Halt_is_idempotent_a_second_run_finds_nothing_to_do_and_keeps_the_first_reason()
    {
        await using var aws = await AccountWithAMixAsync();
        (await Run(aws, "halt", "--reason", "first")).ExitCode.ShouldBe(0);
        aws.FisExperiments["EXPmanagedrun"].Status = "stopped";
        aws.FisExperiments["EXPmanagedpend"].Status = "stopped";

        var again = await Run(aws, "halt", "--reason", "second");

        again.ExitCode.ShouldBe(0, again.Error);
        again.Out.ShouldContain("Halt parameter /serverless-chaos/halt was already set; left as it is");
        again.Out.ShouldContain($"No running executions of {StateMachine}");
        again.Out.ShouldContain("No running FIS experiments tagged serverless-chaos:managed=true");
        again.Out.ShouldContain("No armed parameters under /serverless-chaos/functions/");
        JsonNode.Parse(aws.Value("/serverless-chaos/halt")!)!["reason"]!.GetValue<string>().ShouldBe("first");
    }

    [Fact]
    public async Task Halt_without_a_state_machine_still_halts_and_says_executions_were_not_stopped()
    {
        await using var aws = await AccountWithAMixAsync();

        var run = await Chaos.RunAsync(aws, new ManualTimeProvider(Now), new Dictionary<string, string>(), "halt");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("Executions: not stopped (no state machine ARN given");
        HaltValue.IsHalted(aws.Value("/serverless-chaos/halt")).ShouldBeTrue();
        aws.Executions.Values.Count(e => e.Status == "RUNNING").ShouldBe(3);
    }

    [Fact]
    public async Task Unhalt_writes_false_which_the_wrapper_reads_as_not_halted_and_re_arms_nothing()
    {
        await using var aws = await AccountWithAMixAsync();
        (await Run(aws, "halt")).ExitCode.ShouldBe(0);

        var run = await Run(aws, "unhalt");

        run.ExitCode.ShouldBe(0, run.Error);
        aws.Value("/serverless-chaos/halt").ShouldBe("false");
        HaltValue.IsHalted(aws.Value("/serverless-chaos/halt")).ShouldBeFalse();
        aws.Value("/serverless-chaos/functions/checkout").ShouldBe("""{"version":1,"enabled":false}""");
    }

    [Fact]
    public async Task A_bad_state_machine_arn_is_an_argument_error()
    {
        var run = await Chaos.RunAsync(null, "status", "--state-machine", "serverless-chaos-experiment");
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("--state-machine must be a state machine ARN");
    }

    [Fact]
    public async Task An_aws_error_is_reported_in_one_line_with_exit_2()
    {
        await using var aws = await FakeAws.StartAsync();
        var output = await Chaos.RunAsync(aws, TimeProvider.System, new Dictionary<string, string>(), "start", Path.Combine(TestPaths.RepositoryRoot, "events/experiments/gameday-local.json"), "--state-machine", StateMachine);
        output.ExitCode.ShouldBe(2);
        output.Error.ShouldContain("StateMachineDoesNotExist");
    }
}
