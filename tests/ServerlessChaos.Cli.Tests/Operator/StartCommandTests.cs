using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Operator;

public class StartCommandTests
{
    private const string StateMachine = "arn:aws:states:us-east-1:123456789012:stateMachine:serverless-chaos-experiment";
    private static readonly string Experiment = Path.Combine(TestPaths.RepositoryRoot, "events/experiments/gameday-local.json");

    private static async Task<FakeAws> AccountAsync(Action<FakeExecution> finish)
    {
        var aws = await FakeAws.StartAsync();
        aws.StateMachines[StateMachine] = "serverless-chaos-experiment";
        var describes = 0;
        aws.OnDescribeExecution = e =>
        {
            if (Interlocked.Increment(ref describes) >= 3)
            {
                finish(e);
            }
        };
        return aws;
    }

    private static Task<CliRun> Start(FakeAws aws, params string[] extra) =>
        Chaos.RunAsync(aws, ["start", Experiment, "--state-machine", StateMachine, "--poll-interval", "20ms", .. extra]);

    [Theory]
    [InlineData("held", 0)]
    [InlineData("deviated", 1)]
    [InlineData("aborted", 2)]
    [InlineData("failed", 2)]
    public async Task Start_sends_the_experiment_follows_the_execution_and_exits_with_the_verdict(string verdict, int exitCode)
    {
        await using var aws = await AccountAsync(e =>
        {
            e.Status = "SUCCEEDED";
            e.Output = new JsonObject { ["verdict"] = verdict, ["reasons"] = new JsonArray("alarm sample-api-5xx-rate went into ALARM after 12 s") }.ToJsonString();
        });

        var run = await Start(aws);

        run.ExitCode.ShouldBe(exitCode, run.Error);
        var execution = aws.Executions.Values.ShouldHaveSingleItem();
        execution.Name.ShouldStartWith("gameday-local-");
        JsonNode.Parse(execution.Input!)!["name"]!.GetValue<string>().ShouldBe("gameday-local");
        run.Out.ShouldContain($"Started gameday-local as execution {execution.Name}");
        run.Out.ShouldContain("Execution SUCCEEDED");
        run.Out.ShouldContain($"Verdict: {(verdict == "failed" ? "aborted" : verdict)} (exit code {exitCode})");
        run.Out.ShouldContain("alarm sample-api-5xx-rate went into ALARM after 12 s");
    }

    [Fact]
    public async Task A_failed_execution_exits_2_with_its_error_and_cause()
    {
        await using var aws = await AccountAsync(e =>
        {
            e.Status = "FAILED";
            e.Error = "ExperimentFailed";
            e.Cause = "rollback incomplete";
        });

        var run = await Start(aws);

        run.ExitCode.ShouldBe(2);
        run.Out.ShouldContain("Verdict: aborted (exit code 2) — the state machine ended FAILED: ExperimentFailed rollback incomplete");
    }

    [Fact]
    public async Task No_follow_prints_the_execution_and_returns_at_once()
    {
        await using var aws = await AccountAsync(_ => { });

        var run = await Start(aws, "--no-follow");

        run.ExitCode.ShouldBe(0, run.Error);
        run.Out.ShouldContain("arn:aws:states:us-east-1:123456789012:execution:serverless-chaos-experiment:gameday-local-");
        aws.Calls.ShouldNotContain("AWSStepFunctions.DescribeExecution");
    }

    [Fact]
    public async Task An_invalid_experiment_gets_the_state_machine_validators_errors_and_nothing_starts()
    {
        await using var aws = await AccountAsync(_ => { });
        var file = Path.Combine(TestPaths.NewTempDirectory(), "bad.json");
        await File.WriteAllTextAsync(file, """{ "version": 1, "name": "bad name!", "hypothesis": { "alarms": [] }, "faults": [ { "wrapper": {} } ], "durationSeconds": 0 }""");

        var run = await Chaos.RunAsync(aws, "start", file, "--state-machine", StateMachine);

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("is not a valid experiment");
        run.Error.ShouldContain("durationSeconds must be between 1 and 43200 (was 0)");
        run.Error.ShouldContain("faults[0].wrapper.parameter is required");
        aws.Calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task Start_without_a_state_machine_says_how_to_give_one()
    {
        var run = await Chaos.RunAsync(null, "start", Experiment);
        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("give --state-machine <ARN> or set SERVERLESS_CHAOS_STATE_MACHINE_ARN");
    }
}
