using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Steps;
using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.Steps;

/// <summary>The control functions called in-process, one step at a time, as the state machine would.</summary>
public class StepTests
{
    private static async Task<JsonObject> StepAsync(Scenario scenario, string handler, JsonObject state) =>
        JsonNode.Parse(await scenario.InvokeAsync(handler, state.ToJsonString(), CancellationToken.None))!.AsObject();

    private static JsonObject Begin(Scenario scenario, JsonObject? experiment = null) => new()
    {
        ["input"] = experiment ?? scenario.Experiment(),
        ["execution"] = new JsonObject { ["id"] = "arn:aws:states:us-east-1:123456789012:execution:sm:" + scenario.Name, ["name"] = scenario.Name },
    };

    private static async Task<string> RefusalAsync(Scenario scenario, JsonObject? experiment = null)
    {
        var state = await StepAsync(scenario, "validate", Begin(scenario, experiment));
        var error = await Should.ThrowAsync<ControlFunctionException>(() => StepAsync(scenario, "preflight", state));
        error.ErrorType.ShouldBe("PreflightRefused");
        return error.Message;
    }

    [Fact]
    public async Task Preflight_refuses_when_the_halt_parameter_is_set()
    {
        using var scenario = new Scenario();
        scenario.Local.Parameters.Put("/serverless-chaos/halt", """{"halted":true,"by":"sre"}""");
        (await RefusalAsync(scenario)).ShouldContain("the halt parameter /serverless-chaos/halt is set");
    }

    [Fact]
    public async Task Preflight_allows_a_halt_parameter_that_says_false()
    {
        using var scenario = new Scenario();
        scenario.Local.Parameters.Put("/serverless-chaos/halt", " FALSE ");
        var state = await StepAsync(scenario, "validate", Begin(scenario));
        (await StepAsync(scenario, "preflight", state))["plan"]!["worstCaseAbortSeconds"]!.GetValue<int>().ShouldBe(20 + 5 + 5);
    }

    [Fact]
    public async Task Preflight_refuses_a_target_that_is_already_armed_by_another_experiment()
    {
        using var scenario = new Scenario();
        var expires = scenario.Clock.GetUtcNow().AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ");
        scenario.Local.Parameters.Put(Scenario.Orders,
            $$"""{"version":1,"enabled":true,"expiresAt":"{{expires}}","experimentId":"someone-else","faults":[{"type":"latency","rate":1,"minMs":1,"maxMs":2}]}""");
        (await RefusalAsync(scenario)).ShouldContain($"parameter {Scenario.Orders} is already armed (experimentId someone-else)");
    }

    [Fact]
    public async Task Preflight_accepts_a_target_whose_settings_have_expired()
    {
        using var scenario = new Scenario();
        var expired = scenario.Clock.GetUtcNow().AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        scenario.Local.Parameters.Put(Scenario.Orders,
            $$"""{"version":1,"enabled":true,"expiresAt":"{{expired}}","faults":[{"type":"latency","rate":1,"minMs":1,"maxMs":2}]}""");
        var state = await StepAsync(scenario, "validate", Begin(scenario));
        (await StepAsync(scenario, "preflight", state))["plan"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Preflight_refuses_when_the_worst_case_abort_time_exceeds_the_budget()
    {
        using var scenario = new Scenario();
        scenario.Local.Alarms.Define(Scenario.LatencyAlarm, periodSeconds: 60, evaluationPeriods: 3, datapointsToAlarm: 2);
        (await RefusalAsync(scenario)).ShouldContain(
            $"worst-case abort time 190 s (alarm {Scenario.LatencyAlarm}: 60 s period × 3 evaluation periods, + 5 s poll interval + 5 s rollback) exceeds abortBudgetSeconds 60");
    }

    [Fact]
    public async Task Preflight_refuses_a_missing_fis_template_and_a_missing_alarm_and_lists_both()
    {
        using var scenario = new Scenario();
        var experiment = scenario.Experiment();
        experiment["faults"]![2]!["fis"]!["templateId"] = "EXTnothere";
        experiment["hypothesis"]!["alarms"]!.AsArray().Add("no-such-alarm");
        var message = await RefusalAsync(scenario, experiment);
        message.ShouldContain("FIS experiment template EXTnothere (faults[2]) does not exist");
        message.ShouldContain("alarm no-such-alarm does not exist");
    }

    [Fact]
    public async Task Preflight_resolves_a_template_by_tag_and_refuses_a_tag_that_matches_none()
    {
        using var scenario = new Scenario();
        var experiment = scenario.Experiment();
        experiment["faults"]![2] = JsonNode.Parse("""{"fis":{"templateTag":{"key":"serverless-chaos:template","value":"checkout-lambda-delay"}}}""");
        var state = await StepAsync(scenario, "preflight", await StepAsync(scenario, "validate", Begin(scenario, experiment)));
        state["experiment"]!["faults"]![2]!["fis"]!["templateId"]!.GetValue<string>().ShouldBe(Scenario.Template);

        using var other = new Scenario();
        var missing = other.Experiment();
        missing["faults"]![2] = JsonNode.Parse("""{"fis":{"templateTag":{"key":"team","value":"nobody"}}}""");
        (await RefusalAsync(other, missing)).ShouldContain("faults[2].fis.templateTag team=nobody matches 0 FIS templates");
    }

    [Fact]
    public async Task Arm_records_the_ledger_first_and_a_retry_does_not_record_armed_values_as_prior()
    {
        using var scenario = new Scenario();
        var state = await StepAsync(scenario, "preflight", await StepAsync(scenario, "validate", Begin(scenario)));
        var firstWrite = "";
        scenario.Local.Parameters.Changed += (name, _) => firstWrite = firstWrite.Length == 0 ? name : firstWrite;

        await StepAsync(scenario, "arm", state.DeepClone().AsObject());
        await StepAsync(scenario, "arm", state.DeepClone().AsObject());
        firstWrite.ShouldBe("/serverless-chaos/ledger/" + scenario.Name);

        var ledger = JsonNode.Parse(scenario.Local.Parameters.Get("/serverless-chaos/ledger/" + scenario.Name)!)!;
        ledger["parameters"]![0]!["priorValue"]!.GetValue<string>().ShouldBe(Scenario.PriorCheckout);
        ledger["parameters"]![1]!["existed"]!.GetValue<bool>().ShouldBeFalse();
        scenario.ArmedParameters().ShouldBe([Scenario.Checkout, Scenario.Orders], ignoreOrder: true);

        var rolledBack = await StepAsync(scenario, "rollback", state.DeepClone().AsObject());
        rolledBack["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        scenario.Local.Parameters.Get(Scenario.Orders).ShouldBeNull();
        var again = await StepAsync(scenario, "rollback", state.DeepClone().AsObject());
        again["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
        again["rollback"]!["restored"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Alarm_to_rollback_time_runs_from_the_alarms_state_change_not_from_the_poll_that_noticed_it()
    {
        using var scenario = new Scenario();
        var state = await StepAsync(scenario, "arm", await StepAsync(scenario, "preflight", await StepAsync(scenario, "validate", Begin(scenario))));
        state = await StepAsync(scenario, "start", state);
        scenario.Clock.Advance(TimeSpan.FromSeconds(2));
        scenario.Local.Alarms.SetState(Scenario.ErrorAlarm, "ALARM", scenario.Clock.GetUtcNow());
        scenario.Clock.Advance(TimeSpan.FromSeconds(2)); // with the poll wait before it, the observation comes 7 s later

        state = await StepAsync(scenario, "observe", state);
        state["journal"]!["reasons"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain($"alarm {Scenario.ErrorAlarm} went into ALARM after 2 s");
        scenario.Clock.Advance(TimeSpan.FromSeconds(0.25));
        state = await StepAsync(scenario, "rollback", state);

        state["journal"]!["alarmToRollbackSeconds"]!.GetValue<double>().ShouldBe(7.25);
    }

    [Fact]
    public async Task The_written_settings_pass_the_wrappers_own_parser_and_expire_after_the_experiment_plus_a_margin()
    {
        using var scenario = new Scenario();
        var state = await StepAsync(scenario, "arm", await StepAsync(scenario, "preflight", await StepAsync(scenario, "validate", Begin(scenario))));
        var parsed = Wrapper.Settings.ChaosSettings.Parse(scenario.Local.Parameters.Get(Scenario.Checkout));
        parsed.IsValid.ShouldBeTrue(string.Join("; ", parsed.Errors));
        parsed.Settings!.ExperimentId.ShouldBe(scenario.Name);
        parsed.Settings.ExpiresAt.ShouldBe(scenario.Clock.GetUtcNow().AddSeconds(30 + 20).AddMinutes(5));
        state["journal"]!["armed"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Cleanup_after_an_execution_stopped_from_the_console_restores_what_it_armed_and_stops_fis()
    {
        using var scenario = new Scenario();
        var state = await StepAsync(scenario, "validate", Begin(scenario));
        state = await StepAsync(scenario, "start", await StepAsync(scenario, "arm", await StepAsync(scenario, "preflight", state)));
        scenario.ArmedParameters().Count.ShouldBe(2);
        scenario.Clock.Advance(TimeSpan.FromSeconds(3));
        scenario.Local.Fis.Experiments().Single().State.ShouldBe("running");

        var statusChange = File.ReadAllText(Repository.Path("events", "lambda", "stepfunctions-execution-aborted.json"))
            .Replace("gameday-2026-11-22", scenario.Name);
        var result = JsonNode.Parse(await scenario.InvokeAsync("cleanup", statusChange, CancellationToken.None))!;

        result["ledgerFound"]!.GetValue<bool>().ShouldBeTrue();
        result["status"]!.GetValue<string>().ShouldBe("ABORTED");
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.Local.Parameters.Get(Scenario.Checkout).ShouldBe(Scenario.PriorCheckout);
        scenario.Local.Fis.Experiments().Single().State.ShouldBe("stopped");
        var second = JsonNode.Parse(await scenario.InvokeAsync("cleanup", statusChange, CancellationToken.None))!;
        second["ledgerFound"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task The_sample_validate_invocation_in_events_is_accepted_by_the_validate_function()
    {
        using var scenario = new Scenario();
        var payload = File.ReadAllText(Repository.Path("events", "lambda", "validate-invocation.json"));
        var state = JsonNode.Parse(await scenario.Functions.InvokeAsync("validate", payload, CancellationToken.None))!;
        state["experiment"]!["name"]!.GetValue<string>().ShouldBe("gameday-local");
        state["journal"]!["executionId"]!.GetValue<string>().ShouldEndWith(":gameday-2026-11-22");
    }

    [Fact]
    public async Task Cleanup_leaves_a_running_execution_alone()
    {
        using var scenario = new Scenario();
        await StepAsync(scenario, "arm", await StepAsync(scenario, "preflight", await StepAsync(scenario, "validate", Begin(scenario))));
        var running = new JsonObject { ["detail"] = new JsonObject { ["executionArn"] = "arn:aws:states:us-east-1:1:execution:sm:" + scenario.Name, ["status"] = "RUNNING" } }.ToJsonString();
        await scenario.InvokeAsync("cleanup", running, CancellationToken.None);
        scenario.ArmedParameters().Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_dry_run_arms_nothing_and_starts_fis_with_actions_skipped()
    {
        using var scenario = new Scenario();
        var experiment = scenario.Experiment();
        experiment["dryRun"] = true;
        var state = await StepAsync(scenario, "validate", Begin(scenario, experiment));
        state = await StepAsync(scenario, "start", await StepAsync(scenario, "arm", await StepAsync(scenario, "preflight", state)));
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.Clock.Advance(TimeSpan.FromSeconds(3));
        scenario.Local.Fis.ActiveActions().ShouldBeEmpty();
        state["journal"]!["timeline"]!.ToJsonString().ShouldContain("dry run: would arm");
    }

    [Fact]
    public async Task An_unknown_handler_and_a_payload_that_is_not_json_are_refused_clearly()
    {
        using var scenario = new Scenario();
        (await Should.ThrowAsync<ControlFunctionException>(() => scenario.Functions.InvokeAsync("explode", "{}", CancellationToken.None)))
            .Message.ShouldContain("unknown handler \"explode\"");
        (await Should.ThrowAsync<ControlFunctionException>(() => scenario.Functions.InvokeAsync("arm", "{nope", CancellationToken.None)))
            .ErrorType.ShouldBe("InvalidState");
    }

    [Theory]
    [InlineData(false, 0, 12, true, null)]
    [InlineData(true, 0, 12, false, "3 of 12 responses were 5xx or failed")]
    [InlineData(false, 2, 12, false, "unexpected statuses 200×10")]
    public void A_probe_is_judged_against_its_expectation(bool with5xx, int expectedCodes, int requests, bool met, string? problem)
    {
        var counts = new Orchestrator.Backends.ProbeCounts { Requests = requests, ByStatus = with5xx ? new() { ["200"] = 9, ["503"] = 3 } : new() { ["200"] = 10, ["401"] = 2 } };
        var expect = new Orchestrator.Experiments.ProbeExpectation { StatusCodes = expectedCodes > 0 ? [401, 403] : null };
        var (isMet, why) = ObserveStep.Judge(expect, counts);
        isMet.ShouldBe(met);
        if (problem is null)
        {
            why.ShouldBeNull();
        }
        else
        {
            why.ShouldStartWith(problem);
        }
    }
}
