using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.StateMachine;

/// <summary>
/// Each backend call fails at each step, once (a transient error) and for good; after every run no
/// parameter is left armed, no FIS experiment is left running, and the run ended with a result or a
/// dead-letter message. A run that failed is followed by the cleanup function, as the status-change
/// event would trigger it.
/// </summary>
[Collection(StateMachineCollection.Name)]
public class FaultMatrixTests(StateMachineFixture fixture)
{
    /// <summary>Every backend call a normal run makes, by step.</summary>
    public static readonly TheoryData<string, string> Calls = new()
    {
        { "preflight", "alarms.Describe" },
        { "preflight", "parameters.Get" },
        { "preflight", "fis.TemplateExists" },
        { "arm", "parameters.Get" },
        { "arm", "parameters.Put" },
        { "start", "fis.StartExperiment" },
        { "start", "parameters.Get" },
        { "start", "parameters.Put" },
        { "observe", "alarms.Describe" },
        { "observe", "parameters.Get" },
        { "observe", "fis.GetExperiment" },
        { "rollback", "parameters.Get" },
        { "rollback", "parameters.Put" },
        { "rollback", "parameters.Delete" },
        { "rollback", "parameters.List" },
        { "rollback", "fis.GetExperiment" },
        { "rollback", "fis.FindExperimentsByTag" },
        { "rollback", "fis.StopExperiment" },
        { "verify", "alarms.Describe" },
    };

    [Fact]
    public async Task The_matrix_covers_every_backend_call_a_run_makes()
    {
        using var scenario = new Scenario();
        var result = await fixture.RunAsync(scenario, scenario.Experiment());
        result.Status.ShouldBe("SUCCEEDED", result.Cause);

        var made = scenario.Faults.Calls.Distinct().OrderBy(c => c.Step).ThenBy(c => c.Operation).ToList();
        var covered = Calls.Select(row => ((string)row[0], (string)row[1])).OrderBy(c => c.Item1).ThenBy(c => c.Item2).ToList();
        made.ShouldBe(covered);
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_call_that_fails_once_is_retried_and_the_experiment_still_holds(string step, string operation)
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail(step, operation, times: 1);

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("held");
        result.Events.ShouldContain(e => e.Type == "StateRetried");
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.DeadLetters().ShouldBeEmpty();
        scenario.Clock.Advance(TimeSpan.FromSeconds(5));
        scenario.Local.Fis.Experiments().ShouldAllBe(e => e.State != "running");
    }

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task A_call_that_keeps_failing_ends_in_a_result_or_a_dead_letter_and_leaves_nothing_armed(string step, string operation)
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail(step, operation);

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        if (result.Status == "SUCCEEDED")
        {
            result.Output!["verdict"]!.GetValue<string>().ShouldBeOneOf("held", "deviated", "aborted");
        }
        else
        {
            result.Error.ShouldBe("ExperimentFailed");
            var message = scenario.DeadLetters().ShouldHaveSingleItem();
            message["execution"]!["name"]!.GetValue<string>().ShouldBe(scenario.Name);
            message["error"]!["Error"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
            await CleanUpAsync(scenario, result);
        }

        scenario.ArmedParameters().ShouldBeEmpty();
        // Long enough for any experiment that was not stopped to be running.
        scenario.Clock.Advance(TimeSpan.FromSeconds(5));
        scenario.Local.Fis.Experiments().ShouldAllBe(e => e.State != "running");
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
    }

    [Fact]
    public async Task When_the_dead_letter_queue_is_down_the_run_fails_as_DeadLetterFailed_and_cleanup_restores()
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail("deadletter", "deadLetters.Send");
        scenario.Faults.Fail("observe", "fis.GetExperiment");

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("FAILED");
        result.Error.ShouldBe("DeadLetterFailed");
        await CleanUpAsync(scenario, result);
        scenario.ArmedParameters().ShouldBeEmpty();
    }

    private static async Task CleanUpAsync(Scenario scenario, Local.LocalExecutionResult result)
    {
        // The backend has recovered by the time the status-change event arrives.
        scenario.Faults.Clear();
        var statusChange = new JsonObject
        {
            ["detail-type"] = "Step Functions Execution Status Change",
            ["source"] = "aws.states",
            ["detail"] = new JsonObject { ["executionArn"] = result.ExecutionArn, ["name"] = result.Name, ["status"] = "FAILED" },
        };
        var cleanup = JsonNode.Parse(await scenario.Functions.InvokeAsync("cleanup", statusChange.ToJsonString(), CancellationToken.None))!;
        if (cleanup["ledgerFound"]!.GetValue<bool>())
        {
            cleanup["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
        }
    }
}
