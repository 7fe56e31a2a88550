using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;
using ServerlessChaos.Orchestrator.Steps;
using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.Steps;

/// <summary>
/// Nothing the user had is lost: SecureString and StringList parameters keep their type, key and value through
/// arm, the ledger and rollback; writes AWS would refuse are refused before anything is written; a ledger of any size.
/// </summary>
public class ParameterFidelityTests
{
    private static async Task<JsonObject> StepAsync(Scenario scenario, string handler, JsonObject state) =>
        JsonNode.Parse(await scenario.InvokeAsync(handler, state.ToJsonString(), CancellationToken.None))!.AsObject();

    private static JsonObject Begin(Scenario scenario, JsonObject experiment) => new()
    {
        ["input"] = experiment,
        ["execution"] = new JsonObject { ["id"] = "arn:aws:states:us-east-1:123456789012:execution:sm:" + scenario.Name, ["name"] = scenario.Name },
    };

    private static async Task<JsonObject> ArmAsync(Scenario scenario, JsonObject experiment) =>
        await StepAsync(scenario, "arm", await StepAsync(scenario, "preflight", await StepAsync(scenario, "validate", Begin(scenario, experiment))));

    private static JsonObject WrapperFault(string parameter, string settings = """{"faults":[{"type":"latency","rate":1,"minMs":100,"maxMs":100}]}""") => new()
    {
        ["wrapper"] = new JsonObject { ["parameter"] = parameter, ["settings"] = JsonNode.Parse(settings) },
    };

    [Fact]
    public async Task A_SecureString_and_a_StringList_keep_type_key_and_value_through_arm_and_rollback()
    {
        using var scenario = new Scenario();
        var secret = new StoredParameter(Scenario.Checkout, """{"version":1,"enabled":false,"note":"s3cr3t"}""") { Type = ParameterTypes.SecureString, KeyId = "alias/team-key" };
        var list = new StoredParameter(Scenario.Orders, "a,b,c") { Type = ParameterTypes.StringList };
        scenario.Local.Parameters.Put(secret);
        scenario.Local.Parameters.Put(list);

        var state = await ArmAsync(scenario, scenario.Experiment(withFis: false));

        var armed = scenario.Local.Parameters.GetParameter(Scenario.Checkout)!;
        armed.Type.ShouldBe(ParameterTypes.SecureString);
        armed.KeyId.ShouldBe("alias/team-key");
        armed.Value.ShouldContain("\"enabled\":true");
        scenario.Local.Parameters.GetParameter(Scenario.Orders)!.Type.ShouldBe(ParameterTypes.StringList);
        var ledger = scenario.Local.Parameters.GetParameter("/serverless-chaos/ledger/" + scenario.Name)!;
        ledger.Type.ShouldBe(ParameterTypes.SecureString, "a ledger holding a SecureString's prior value is encrypted too");

        var rolledBack = await StepAsync(scenario, "rollback", state);

        rolledBack["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
        scenario.Local.Parameters.GetParameter(Scenario.Checkout).ShouldBe(secret);
        scenario.Local.Parameters.GetParameter(Scenario.Orders).ShouldBe(list);
    }

    [Fact]
    public async Task Settings_over_4_KB_are_refused_before_anything_is_written_unless_the_Advanced_tier_is_allowed()
    {
        using var scenario = new Scenario();
        var big = $$"""{"faults":[{"type":"latency","rate":1,"minMs":100,"maxMs":100}],"note":"{{new string('x', 4200)}}"}""";
        var experiment = scenario.Experiment(withFis: false);
        experiment["faults"] = new JsonArray(WrapperFault(Scenario.Orders), WrapperFault(Scenario.Checkout, big));
        var written = new List<string>();
        scenario.Local.Parameters.Changed += (name, _) => written.Add(name);

        var refused = await Should.ThrowAsync<ControlFunctionException>(() => ArmAsync(scenario, experiment.DeepClone().AsObject()));

        refused.ErrorType.ShouldBe("ParameterInvalid");
        refused.Message.ShouldContain($"nothing was armed: parameter {Scenario.Checkout} would be");
        refused.Message.ShouldContain("the Standard tier holds at most 4096");
        written.ShouldBeEmpty();

        using var allowed = new Scenario();
        experiment["allowAdvancedTier"] = true;
        var state = await ArmAsync(allowed, experiment);
        allowed.Local.Parameters.GetParameter(Scenario.Checkout)!.Tier.ShouldBe(ParameterTiers.Advanced);
        allowed.Local.Parameters.GetParameter(Scenario.Orders)!.Tier.ShouldBe(ParameterTiers.Standard);

        // AWS cannot turn an Advanced parameter back into a Standard one: rollback deletes it and writes the prior back.
        (await StepAsync(allowed, "rollback", state))["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
        allowed.Local.Parameters.GetParameter(Scenario.Checkout).ShouldBe(new StoredParameter(Scenario.Checkout, Scenario.PriorCheckout));
    }

    [Fact]
    public async Task A_name_AWS_refuses_is_an_invalid_experiment_naming_the_field()
    {
        using var scenario = new Scenario();
        var experiment = scenario.Experiment(withFis: false);
        experiment["faults"] = new JsonArray(WrapperFault("/serverless-chaos/functions/check out"), WrapperFault("/serverless-chaos/functions/" + string.Join('/', Enumerable.Range(1, 14))));

        var error = await Should.ThrowAsync<Orchestrator.Experiments.ExperimentValidationException>(() => StepAsync(scenario, "validate", Begin(scenario, experiment)));

        ErrorTypes.For(error).ShouldBe("ExperimentInvalid");
        error.Message.ShouldContain("faults[0].wrapper.parameter is not a name AWS accepts: parameter name \"/serverless-chaos/functions/check out\" may contain only");
        error.Message.ShouldContain("faults[1].wrapper.parameter is not a name AWS accepts: parameter name \"/serverless-chaos/functions/1/2/3/4/5/6/7/8/9/10/11/12/13/14\" has 16 levels; AWS allows at most 15");
    }

    [Fact]
    public async Task A_ledger_of_forty_targets_is_kept_in_chunks_and_cleanup_still_finds_and_restores_it()
    {
        using var scenario = new Scenario();
        var experiment = scenario.Experiment(withFis: false);
        var faults = new JsonArray();
        for (var i = 0; i < 40; i++)
        {
            var name = $"/serverless-chaos/functions/fn-{i:00}";
            scenario.Local.Parameters.Put(name, $$"""{"version":1,"enabled":false,"owner":"team-{{i}}","padding":"{{new string('p', 3000)}}"}""");
            faults.Add(WrapperFault(name));
        }

        experiment["faults"] = faults;
        await ArmAsync(scenario, experiment);
        scenario.ArmedParameters().Count.ShouldBe(40);
        var ledgerName = "/serverless-chaos/ledger/" + scenario.Name;
        var chunks = (await scenario.Local.Parameters.ListAsync(ledgerName, default)).Count;
        chunks.ShouldBeGreaterThan(25, "40 prior values of 3 KB do not fit one 4 KB parameter");
        scenario.Local.Parameters.Get(ledgerName).ShouldBe($$"""{"chunks":{{chunks}}}""");

        var statusChange = File.ReadAllText(Repository.Path("events", "lambda", "stepfunctions-execution-aborted.json")).Replace("gameday-2026-11-22", scenario.Name);
        var result = JsonNode.Parse(await scenario.InvokeAsync("cleanup", statusChange, CancellationToken.None))!;

        result["ledgerFound"]!.GetValue<bool>().ShouldBeTrue();
        result["rollback"]!["restored"]!.AsArray().Count.ShouldBe(40);
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.Local.Parameters.Get("/serverless-chaos/functions/fn-07")!.ShouldContain("\"owner\":\"team-7\"");
        scenario.Local.Parameters.Snapshot().Keys.ShouldNotContain(k => k.StartsWith(ledgerName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dead_letter_message_names_a_SecureString_still_to_restore_but_never_carries_its_value()
    {
        using var scenario = new Scenario();
        scenario.Local.Parameters.Put(new StoredParameter(Scenario.Checkout, """{"version":1,"enabled":false,"note":"s3cr3t"}""") { Type = ParameterTypes.SecureString });
        var state = await ArmAsync(scenario, scenario.Experiment(withFis: false));

        await StepAsync(scenario, "deadletter", state);

        var message = scenario.DeadLetters().Single();
        message.ToJsonString().ShouldNotContain("s3cr3t");
        var entry = message["stillToRestore"]!.AsArray().Single(e => e!["parameter"]!.GetValue<string>() == Scenario.Checkout)!;
        entry["type"]!.GetValue<string>().ShouldBe("SecureString");
        entry["existed"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_permanent_error_during_rollback_is_reported_under_a_name_the_state_machine_does_not_retry()
    {
        using var scenario = new Scenario();
        var state = await ArmAsync(scenario, scenario.Experiment(withFis: false));
        scenario.Faults.Fail("rollback", "parameters.Put", permanentError: "AccessDeniedException");

        var error = await Should.ThrowAsync<ControlFunctionException>(() => StepAsync(scenario, "rollback", state));

        error.ErrorType.ShouldBe("RollbackRefused");
        error.Message.ShouldContain($"restoring {Scenario.Checkout}: parameters.Put failed: injected AccessDeniedException");
    }
}

public class ParameterRulesTests
{
    [Theory]
    [InlineData("/serverless-chaos/functions/checkout", null)]
    [InlineData("plain-name_1.2", null)]
    [InlineData("/aws/reference/x", "must not start with \"aws\" or \"ssm\"")]
    [InlineData("SSM-settings", "must not start with \"aws\" or \"ssm\"")]
    [InlineData("/a/b c", "may contain only a-z, A-Z, 0-9, '_', '.', '-' and '/' (found 'U+0020')")]
    [InlineData("/a/b:c", "(found ':')")]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15", null)]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", "has 16 levels; AWS allows at most 15")]
    public void Names_are_checked_as_AWS_checks_them(string name, string? problem)
    {
        var found = ParameterRules.NameProblem(name);
        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Fact]
    public void A_name_too_long_with_its_ARN_is_refused_and_one_that_fits_is_not()
    {
        var limit = ParameterRules.MaxNameWithArnLength - "arn:aws:ssm:ap-southeast-2:123456789012:parameter".Length;
        ParameterRules.NameProblem("/" + new string('n', limit - 1)).ShouldBeNull();
        ParameterRules.NameProblem("/" + new string('n', limit)).ShouldNotBeNull().ShouldContain($"with its ARN AWS allows at most 1011 ({limit} for a name starting with '/')");
    }

    [Theory]
    [InlineData(4096, "Standard", null)]
    [InlineData(4097, "Standard", "would be 4097 bytes; the Standard tier holds at most 4096")]
    [InlineData(8192, "Advanced", null)]
    [InlineData(8193, "Advanced", "would be 8193 bytes; the Advanced tier holds at most 8192")]
    public void Values_fit_their_tier(int bytes, string tier, string? problem)
    {
        var found = ParameterRules.Problem(new StoredParameter("/p", new string('v', bytes)) { Tier = tier });
        if (problem is null)
        {
            found.ShouldBeNull();
        }
        else
        {
            found.ShouldNotBeNull().ShouldContain(problem);
        }
    }

    [Fact]
    public void Sizes_count_UTF8_bytes_and_chunks_never_split_a_character()
    {
        ParameterRules.Problem(new StoredParameter("/p", new string('é', 2049))).ShouldNotBeNull().ShouldContain("4098 bytes");
        var text = string.Concat(Enumerable.Repeat("a😀é", 1000));
        var chunks = RollbackLedgerStore.Split(text, 4096);
        string.Concat(chunks).ShouldBe(text);
        foreach (var chunk in chunks)
        {
            System.Text.Encoding.UTF8.GetByteCount(chunk).ShouldBeLessThanOrEqualTo(4096);
            char.IsHighSurrogate(chunk[chunk.Length - 1]).ShouldBeFalse();
        }
    }

    [Theory]
    [InlineData(100, null, false, "Standard")]
    [InlineData(5000, null, false, "Standard")]
    [InlineData(5000, null, true, "Advanced")]
    [InlineData(100, "Advanced", false, "Advanced")]
    public void The_tier_is_Standard_unless_the_value_needs_Advanced_and_it_is_allowed_or_the_parameter_already_is(int bytes, string? current, bool allow, string expected) =>
        ParameterRules.TierFor(new string('v', bytes), current, allow).ShouldBe(expected);
}
