using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Tests.Operator;

/// <summary>arm, status, disarm and halt through the control plane's backends and ledgers, against the real wire protocols.</summary>
public class OneControlPlaneTests
{
    private const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:serverless-chaos-experiment";
    private const string Checkout = ChaosConventions.ParameterPrefix + "checkout";
    private const string Orders = ChaosConventions.ParameterPrefix + "orders";
    private const string Secret = """{"version":1,"enabled":false,"owner":"payments","note":"kept secret"}""";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static Task<CliRun> Run(FakeAws aws, params string[] args) =>
        Chaos.RunAsync(aws, new ManualTimeProvider(Now), new Dictionary<string, string> { ["SERVERLESS_CHAOS_STATE_MACHINE_ARN"] = StateMachine }, args);

    private static string Armed(string experiment, int minutes = 10) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{Now.AddMinutes(minutes):yyyy-MM-ddTHH:mm:ssZ}}","experimentId":"{{experiment}}","faults":[{"type":"statusCode","rate":1,"statusCode":503}]}""";

    private static void AddRunningExecution(FakeAws aws, string name)
    {
        aws.StateMachines[StateMachine] = "serverless-chaos-experiment";
        var arn = StateMachine.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name;
        aws.Executions[arn] = new FakeExecution { Arn = arn, StateMachineArn = StateMachine, Name = name };
    }

    [Fact]
    public async Task Arm_status_and_disarm_keep_a_SecureString_its_type_key_and_exact_value()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(Checkout, Secret, "SecureString", "alias/payments");

        var arm = await Run(aws, "arm", "checkout", "--status", "503");

        arm.ExitCode.ShouldBe(0, arm.Error);
        var armed = aws.Parameters[Checkout];
        armed.Type.ShouldBe("SecureString");
        armed.KeyId.ShouldBe("alias/payments");
        ChaosSettings.Parse(armed.Value).Settings!.IsArmedAt(Now).ShouldBeTrue();
        var ledger = aws.Parameters[ChaosConventions.LedgerPrefix + "arm.serverless-chaos.functions.checkout"];
        ledger.Type.ShouldBe("SecureString"); // it holds a secret's prior value
        arm.Out.ShouldContain("kept as a SecureString parameter");

        var status = await Run(aws, "status");
        status.ExitCode.ShouldBe(0, status.Error);
        status.Out.ShouldContain($"{Checkout}  ARMED until 2026-11-22 01:15:00 UTC");
        status.Out.ShouldContain("prior value kept for chaos disarm  (SecureString)");

        var disarm = await Run(aws, "disarm", "checkout");

        disarm.ExitCode.ShouldBe(0, disarm.Error);
        aws.Parameters[Checkout].ShouldBe(aws.Parameters[Checkout] with { Value = Secret, Type = "SecureString", KeyId = "alias/payments", Tier = "Standard" });
        aws.Parameters.Keys.ShouldNotContain(k => k.StartsWith(ChaosConventions.LedgerPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Arming_again_keeps_the_first_prior_value()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(Checkout, Secret);

        (await Run(aws, "arm", "checkout", "--status", "503")).ExitCode.ShouldBe(0);
        var again = await Run(aws, "arm", "checkout", "--latency", "300ms");
        again.ExitCode.ShouldBe(0, again.Error);
        (await Run(aws, "disarm", "checkout")).ExitCode.ShouldBe(0);

        aws.Value(Checkout).ShouldBe(Secret);
    }

    [Fact]
    public async Task Arm_refuses_a_parameter_an_experiment_has_armed_and_writes_nothing()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(Checkout, Armed("exec-7"));

        var run = await Run(aws, "arm", "checkout", "--status", "500");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain($"{Checkout} is already armed by experiment exec-7");
        aws.Value(Checkout).ShouldBe(Armed("exec-7"));
        aws.Parameters.Keys.ShouldNotContain(k => k.StartsWith(ChaosConventions.LedgerPrefix, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Arm_refuses_a_document_over_4_KB_unless_the_Advanced_tier_is_allowed()
    {
        await using var aws = await FakeAws.StartAsync();
        var hosts = Enumerable.Range(0, 120).SelectMany(i => new[] { "--dependency", $"service-{i:000}.internal.example.com" }).ToArray();

        var refused = await Run(aws, ["arm", "checkout", .. hosts]);
        refused.ExitCode.ShouldBe(2);
        refused.Error.ShouldContain("the Standard tier holds at most 4096");
        aws.Parameters.ShouldBeEmpty();

        var allowed = await Run(aws, ["arm", "checkout", "--allow-advanced-tier", .. hosts]);
        allowed.ExitCode.ShouldBe(0, allowed.Error);
        aws.Parameters[Checkout].Tier.ShouldBe("Advanced");

        // AWS cannot downgrade an Advanced parameter: disarm deletes it and puts back that nothing was there.
        (await Run(aws, "disarm", "checkout")).ExitCode.ShouldBe(0);
        aws.Value(Checkout).ShouldBeNull();
    }

    [Fact]
    public async Task Halt_restores_what_an_execution_ledger_recorded_and_leaves_the_ledger_for_its_rollback()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(Checkout, Armed("exec-1"), "SecureString", "alias/payments");
        var ledger = new JsonObject
        {
            ["executionId"] = "arn:exec-1",
            ["experiment"] = "checkout-latency",
            ["parameters"] = new JsonArray(new JsonObject
            {
                ["parameter"] = Checkout, ["existed"] = true, ["priorValue"] = Secret, ["type"] = "SecureString", ["keyId"] = "alias/payments", ["tier"] = "Standard",
            }),
        };
        aws.Put(ChaosConventions.LedgerPrefix + "exec-1", ledger.ToJsonString(), "SecureString");

        var run = await Run(aws, "halt");

        run.ExitCode.ShouldBe(0, run.Error);
        aws.Parameters[Checkout].Value.ShouldBe(Secret);
        aws.Parameters[Checkout].Type.ShouldBe("SecureString");
        aws.Parameters[Checkout].KeyId.ShouldBe("alias/payments");
        run.Out.ShouldContain($"Restored {Checkout} to its value before execution exec-1 (SecureString)");
        aws.Value(ChaosConventions.LedgerPrefix + "exec-1").ShouldNotBeNull();
    }

    [Fact]
    public async Task Halt_with_a_key_that_may_not_use_FIS_still_disarms_and_stops_everything_else_and_exits_2_naming_FIS()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(Checkout, Armed("exec-1"));
        aws.Put(Orders, Armed("exec-1", 5));
        AddRunningExecution(aws, "exec-1");
        aws.Interfere = async (context, operation, body) =>
        {
            if (!operation.Contains("/experiments", StringComparison.Ordinal))
            {
                return false;
            }

            context.Response.StatusCode = 403;
            context.Response.Headers["x-amzn-ErrorType"] = "AccessDeniedException";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"message":"User: arn:aws:iam::123456789012:user/operator is not authorized to perform: fis:ListExperiments"}""");
            return true;
        };

        var run = await Run(aws, "halt");

        run.ExitCode.ShouldBe(2);
        HaltValue.IsHalted(aws.Value(ChaosConventions.HaltParameter)).ShouldBeTrue();
        aws.Value(Checkout).ShouldBe(ChaosConventions.DisarmedDocument);
        aws.Value(Orders).ShouldBe(ChaosConventions.DisarmedDocument);
        aws.Executions.Values.Single().Status.ShouldBe("ABORTED");
        run.Error.ShouldContain("chaos: could not list FIS experiments tagged serverless-chaos:managed=true: ");
        run.Error.ShouldContain("AccessDeniedException");
        run.Out.ShouldContain("Incomplete: 4 done, 1 failed; run 'chaos halt' again to retry what failed.");
        run.Out.ShouldContain("  FAILED: list FIS experiments tagged serverless-chaos:managed=true: ");
    }

    [Fact]
    public async Task Halt_writes_the_switch_even_when_nothing_can_be_read()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(Checkout, Armed("exec-1"));
        AddRunningExecution(aws, "exec-1");
        aws.Interfere = async (context, operation, body) =>
        {
            if (operation is "AmazonSSM.GetParameter" or "AmazonSSM.GetParametersByPath")
            {
                await FakeAws.ErrorAsync(context, 400, "AccessDeniedException", "not authorized to perform: ssm:" + operation["AmazonSSM.".Length..]);
                return true;
            }

            return false;
        };

        var run = await Run(aws, "halt");

        run.ExitCode.ShouldBe(2);
        HaltValue.IsHalted(aws.Value(ChaosConventions.HaltParameter)).ShouldBeTrue();
        run.Out.ShouldContain("Set halt parameter /serverless-chaos/halt");
        run.Error.ShouldContain($"chaos: could not list the parameters under {ChaosConventions.ParameterPrefix}: ");
        run.Error.ShouldContain($"chaos: could not list the rollback ledgers under {ChaosConventions.LedgerPrefix}: ");
        run.Out.ShouldContain("Stopped execution exec-1"); // what can be done still is
    }

    [Fact]
    public async Task Disarm_all_goes_on_after_a_failed_write_and_names_it()
    {
        await using var aws = await FakeAws.StartAsync();
        foreach (var name in new[] { "a", "b", "c" })
        {
            aws.Put(ChaosConventions.ParameterPrefix + name, Armed("exec-1"));
        }

        aws.Interfere = async (context, operation, body) =>
        {
            if (operation != "AmazonSSM.PutParameter" || !body.Contains("functions/b", StringComparison.Ordinal))
            {
                return false;
            }

            await FakeAws.ErrorAsync(context, 400, "AccessDeniedException", "not authorized to write /serverless-chaos/functions/b");
            return true;
        };

        var run = await Run(aws, "disarm", "--all");

        run.ExitCode.ShouldBe(2);
        aws.Value(ChaosConventions.ParameterPrefix + "a").ShouldBe(ChaosConventions.DisarmedDocument);
        aws.Value(ChaosConventions.ParameterPrefix + "c").ShouldBe(ChaosConventions.DisarmedDocument);
        ChaosSettings.Parse(aws.Value(ChaosConventions.ParameterPrefix + "b")!).Settings!.IsArmedAt(Now).ShouldBeTrue();
        run.Error.Trim().ShouldStartWith("chaos: could not disarm /serverless-chaos/functions/b: ");
        run.Error.ShouldContain("AccessDeniedException");
        run.Out.ShouldContain("Incomplete: 2 done, 1 failed; run the same disarm again to retry what failed.");
    }
}
