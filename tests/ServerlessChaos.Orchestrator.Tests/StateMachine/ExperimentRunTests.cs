using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.StateMachine;

/// <summary>The repository's ASL, run by aws-local-stepfunctions against the real control functions and the embedded backends.</summary>
[Collection(StateMachineCollection.Name)]
public class ExperimentRunTests(StateMachineFixture fixture)
{
    [Fact]
    public async Task When_the_hypothesis_holds_the_faults_are_armed_during_the_run_and_restored_after()
    {
        using var scenario = new Scenario();
        string? armedDuringRun = null;
        scenario.BeforeStep = (step, count) =>
        {
            if (step == "observe" && count == 0)
            {
                armedDuringRun = scenario.Local.Parameters.Get(Scenario.Checkout);
            }
        };

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("held");
        var armed = JsonNode.Parse(armedDuringRun!)!;
        armed["enabled"]!.GetValue<bool>().ShouldBeTrue();
        armed["experimentId"]!.GetValue<string>().ShouldBe(scenario.Name);
        DateTimeOffset.Parse(armed["expiresAt"]!.GetValue<string>()).ShouldBeGreaterThan(scenario.Clock.GetUtcNow());
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        scenario.Local.Parameters.Get(Scenario.Orders).ShouldBeNull();
        scenario.Local.Parameters.Snapshot().Keys.ShouldNotContain(k => k.StartsWith("/serverless-chaos/ledger/"));
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.DeadLetters().ShouldBeEmpty();
        result.StatesEntered.ShouldContain("DurationReached");
        result.StatesEntered.ShouldNotContain("RollbackAfterFailure");
        var fis = result.Output["fis"]!.AsArray().Single()!;
        fis["states"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldContain("running");
        scenario.Local.Fis.Experiments().Single().State.ShouldBe("stopped");
        result.Output["restored"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_alarm_mid_run_aborts_and_rolls_back_within_the_poll_interval_plus_two_seconds()
    {
        using var scenario = new Scenario();
        DateTimeOffset? alarmAt = null;
        DateTimeOffset? restoredAt = null;
        scenario.Local.Parameters.Changed += (name, value) =>
        {
            if (name == Scenario.Checkout && value == Scenario.PriorCheckout && alarmAt is not null)
            {
                restoredAt ??= scenario.Clock.GetUtcNow();
            }
        };
        scenario.BeforeStep = (step, count) =>
        {
            if (step == "observe" && count == 2)
            {
                // The alarm fires just after the previous observation: the worst moment.
                alarmAt = scenario.Clock.GetUtcNow() - TimeSpan.FromSeconds(scenario.PollSeconds);
                scenario.Local.Alarms.SetState(Scenario.ErrorAlarm, "ALARM");
            }

            if (step == "verify")
            {
                scenario.Local.Alarms.SetState(Scenario.ErrorAlarm, "OK");
            }
        };

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("aborted");
        result.StatesEntered.ShouldContain("AlarmBreached");
        result.StatesEntered.ShouldNotContain("DurationReached");
        (restoredAt - alarmAt)!.Value.ShouldBeLessThanOrEqualTo(TimeSpan.FromSeconds(scenario.PollSeconds + 2));
        scenario.Local.Fis.Experiments().Single().State.ShouldBe("stopped");
        scenario.ArmedParameters().ShouldBeEmpty();
        result.Output["reasons"]!.ToJsonString().ShouldContain(Scenario.ErrorAlarm);
    }

    [Fact]
    public async Task When_preflight_refuses_nothing_is_armed_and_the_reason_reaches_the_dead_letter_queue()
    {
        using var scenario = new Scenario();
        scenario.Local.Alarms.SetState(Scenario.LatencyAlarm, "INSUFFICIENT_DATA");
        var written = new List<string>();
        scenario.Local.Parameters.Changed += (name, _) => written.Add(name);

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("FAILED");
        result.Error.ShouldBe("ExperimentFailed");
        result.StatesEntered.ShouldBe(["Begin", "Validate", "Preflight", "RollbackAfterFailure", "SendToDeadLetter", "ExperimentFailed"]);
        written.ShouldBeEmpty();
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        var message = scenario.DeadLetters().Single();
        message["error"]!["Error"]!.GetValue<string>().ShouldBe("PreflightRefused");
        message["error"]!["Cause"]!.GetValue<string>().ShouldContain($"alarm {Scenario.LatencyAlarm} is in INSUFFICIENT_DATA");
        message["input"]!["name"]!.GetValue<string>().ShouldBe("checkout-latency");
        message["journal"]!["verdict"]!.GetValue<string>().ShouldBe("failed");
        message["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_fis_experiment_stopped_from_the_console_aborts_the_experiment()
    {
        using var scenario = new Scenario();
        scenario.BeforeStep = (step, count) =>
        {
            if (step == "observe" && count == 2)
            {
                scenario.Local.Fis.StopFromConsole(scenario.Local.Fis.Experiments().Single().Id);
            }
        };

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.StatesEntered.ShouldContain("FisStopped");
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("aborted");
        scenario.ArmedParameters().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_failed_fis_experiment_fails_the_run_rolls_back_and_is_dead_lettered()
    {
        using var scenario = new Scenario();
        scenario.Local.Fis.FailExperimentsOf(Scenario.Template, TimeSpan.FromSeconds(8), "lambda target not found");

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("FAILED");
        result.StatesEntered.ShouldContain("FisFailed");
        result.StatesEntered.ShouldContain("Rollback");
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        var message = scenario.DeadLetters().Single();
        message["journal"]!["verdict"]!.GetValue<string>().ShouldBe("failed");
        message["journal"]!["timeline"]!.ToJsonString().ShouldContain("lambda target not found");
    }

    [Fact]
    public async Task When_arming_fails_halfway_what_was_armed_is_restored()
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail("arm", "parameters.Put", when: name => name == Scenario.Orders);
        var checkoutArmed = false;
        scenario.Local.Parameters.Changed += (name, value) => checkoutArmed |= name == Scenario.Checkout && value!.Contains("\"enabled\":true");

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("FAILED");
        checkoutArmed.ShouldBeTrue();
        result.Events.Count(e => e.Type == "StateRetried" && e.State == "Arm").ShouldBe(3);
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        scenario.Local.Parameters.Get(Scenario.Orders).ShouldBeNull();
        scenario.ArmedParameters().ShouldBeEmpty();
        var message = scenario.DeadLetters().Single();
        message["error"]!["Error"]!.GetValue<string>().ShouldBe("BackendUnavailable");
        message["rollback"]!["restored"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe([Scenario.Checkout, Scenario.Orders]);
    }

    [Fact]
    public async Task A_rollback_that_fails_once_succeeds_on_retry()
    {
        using var scenario = new Scenario();
        scenario.Faults.Fail("rollback", "parameters.Put", times: 1);

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.Events.ShouldContain(e => e.Type == "StateRetried" && e.State == "Rollback");
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("held");
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.DeadLetters().ShouldBeEmpty();
    }

    [Fact]
    public async Task An_invalid_experiment_is_dead_lettered_with_the_field_named()
    {
        using var scenario = new Scenario();
        var input = scenario.Experiment();
        input["faults"]![0]!["wrapper"]!.AsObject().Remove("parameter");

        var result = await fixture.RunAsync(scenario, input);

        result.Status.ShouldBe("FAILED");
        var message = scenario.DeadLetters().Single();
        message["error"]!["Error"]!.GetValue<string>().ShouldBe("ExperimentInvalid");
        message["error"]!["Cause"]!.GetValue<string>().ShouldContain("faults[0].wrapper.parameter is required");
    }
}
