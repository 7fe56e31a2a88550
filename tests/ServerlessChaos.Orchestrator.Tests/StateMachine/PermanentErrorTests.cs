using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.StateMachine;

/// <summary>The real ASL: a permanent AWS error is not retried and reaches the journal and the dead-letter message under its own name.</summary>
[Collection(StateMachineCollection.Name)]
public class PermanentErrorTests(StateMachineFixture fixture)
{
    [Fact]
    public async Task Access_denied_while_arming_is_tried_once_rolled_back_and_dead_lettered_as_AccessDeniedException()
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail("arm", "parameters.Put", when: name => name == Scenario.Orders, permanentError: "AccessDeniedException");

        var result = await fixture.RunAsync(scenario, scenario.Experiment(withFis: false));

        result.Status.ShouldBe("FAILED");
        scenario.Faults.Calls.Count(c => c == ("arm", "parameters.Put")).ShouldBe(3, "ledger, checkout, then orders refused once: no retry");
        result.StatesEntered.ShouldContain("RollbackAfterFailure");
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        var message = scenario.DeadLetters().Single();
        message["error"]!["Error"]!.GetValue<string>().ShouldBe("AccessDeniedException");
        message["error"]!["Cause"]!.GetValue<string>().ShouldContain($"parameters.Put failed: injected AccessDeniedException");
        message["journal"]!["reasons"]!.ToJsonString().ShouldContain("AccessDeniedException");
    }

    [Fact]
    public async Task Throttling_while_arming_is_retried_and_the_run_succeeds()
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail("arm", "parameters.Put", times: 1, when: name => name == Scenario.Orders);

        var result = await fixture.RunAsync(scenario, scenario.Experiment(withFis: false));

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        scenario.Faults.Calls.Count(c => c == ("arm", "parameters.Put")).ShouldBeGreaterThan(3);
        scenario.DeadLetters().ShouldBeEmpty();
    }
}
