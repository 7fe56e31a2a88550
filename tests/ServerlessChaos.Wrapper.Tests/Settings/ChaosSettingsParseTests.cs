using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Tests.Fixtures;

namespace ServerlessChaos.Wrapper.Tests.Settings;

public class ChaosSettingsParseTests
{
    private static readonly DateTimeOffset BeforeExpiry = new(2026, 11, 22, 0, 30, 0, TimeSpan.Zero);

    [Fact]
    public void The_contract_document_parses_with_every_fault_kind_and_its_fields()
    {
        var result = ChaosSettings.Parse(FixtureFiles.Read("native-full.json"));

        result.Errors.ShouldBeEmpty();
        var settings = result.Settings!;
        settings.Layout.ShouldBe(SettingsLayout.ServerlessChaos);
        settings.ExperimentId.ShouldBe("checkout-latency-2026-11-22");
        settings.ExpiresAt.ShouldBe(new DateTimeOffset(2026, 11, 22, 1, 0, 0, TimeSpan.Zero));
        settings.Faults.Select(f => f.Type).ShouldBe(["latency", "exception", "statusCode", "dependency", "diskSpace", "sqsBatchFailure", "timeout"]);

        var latency = settings.Faults[0].ShouldBeOfType<LatencyFaultSettings>();
        (latency.Rate, latency.MinMs, latency.MaxMs, latency.AllowPastDeadline).ShouldBe((0.2, 200, 800, false));
        var exception = settings.Faults[1].ShouldBeOfType<ExceptionFaultSettings>();
        (exception.ExceptionType, exception.Message).ShouldBe(("TimeoutException", "injected"));
        var status = settings.Faults[2].ShouldBeOfType<StatusCodeFaultSettings>();
        (status.StatusCode, status.Body, status.RunHandler).ShouldBe((503, "{\"message\":\"injected\"}", false));
        var dependency = settings.Faults[3].ShouldBeOfType<DependencyFaultSettings>();
        (dependency.Kind, dependency.StatusCode, dependency.ErrorCode).ShouldBe((DependencyFaultKind.Status, 400, "ThrottlingException"));
        dependency.MatchesHost("dynamodb.eu-west-1.amazonaws.com").ShouldBeTrue();
        dependency.MatchesHost("streams.dynamodb.eu-west-1.amazonaws.com").ShouldBeTrue();
        dependency.MatchesHost("s3.eu-west-1.amazonaws.com").ShouldBeFalse();
        settings.Faults[4].ShouldBeOfType<DiskSpaceFaultSettings>().Megabytes.ShouldBe(100);
        settings.Faults[5].ShouldBeOfType<SqsBatchFailureFaultSettings>().Share.ShouldBe(0.5);
        var timeout = settings.Faults[6].ShouldBeOfType<TimeoutFaultSettings>();
        timeout.BufferMs.ShouldBe(TimeoutFaultSettings.DefaultBufferMs);
        timeout.Match.Single().Path.ShouldBe("requestContext.http.method");
        timeout.Match.Single().Operator.ShouldBe(MatchOperator.Eq);
    }

    [Fact]
    public void Armed_means_enabled_and_before_expiry()
    {
        var settings = ChaosSettings.Parse(FixtureFiles.Read("native-full.json")).Settings!;

        settings.IsArmedAt(BeforeExpiry).ShouldBeTrue();
        settings.IsArmedAt(settings.ExpiresAt!.Value).ShouldBeFalse();
        settings.IsArmedAt(settings.ExpiresAt!.Value.AddHours(1)).ShouldBeFalse();
    }

    [Fact]
    public void The_disarmed_baseline_parses_and_is_not_armed()
    {
        var result = ChaosSettings.Parse("""{"version":1,"enabled":false}""");

        result.IsValid.ShouldBeTrue();
        result.Settings!.IsArmedAt(BeforeExpiry).ShouldBeFalse();
        result.Settings.Faults.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{"version":1,"enabled":true,"expiresAt":"2026-11-22T01:00:00Z","faults":[{"type":"latency","rate":1.5,"ms":10}]}""",
        "settings.faults[0].rate must be between 0 and 1 (was 1.5)")]
    [InlineData("""{"version":1,"enabled":true,"faults":[]}""",
        "settings.expiresAt is required when enabled is true")]
    [InlineData("""{"version":2,"enabled":false}""", "settings.version must be 1 (was 2)")]
    [InlineData("""{"enabled":false}""", "settings.version is required")]
    [InlineData("""{"version":1,"enabled":"yes"}""", "settings.enabled must be true or false (was \"yes\")")]
    [InlineData("""{"version":1,"enabled":true,"expiresAt":"tomorrow"}""", "settings.expiresAt must be an ISO 8601 UTC timestamp")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"latency","rate":1,"minMs":500,"maxMs":100}]}""",
        "settings.faults[0].maxMs must be at least minMs (was 100 < 500)")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"latency","rate":1}]}""", "settings.faults[0].minMs is required")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"latency","rate":1,"ms":5,"rat":1}]}""",
        "settings.faults[0].rat is not a known field of a latency fault")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"slow","rate":1}]}""", "settings.faults[0].type must be one of latency")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"statusCode","rate":1,"statusCode":700}]}""",
        "settings.faults[0].statusCode must be between 100 and 599 (was 700)")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"exception","rate":1,"exceptionType":"StackOverflowException"}]}""",
        "settings.faults[0].exceptionType must be one of Exception")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"diskSpace","rate":1,"megabytes":20000}]}""",
        "settings.faults[0].megabytes must be between 1 and 10240 (was 20000)")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"dependency","rate":1,"hosts":[],"fault":{"kind":"connection"}}]}""",
        "settings.faults[0].hosts must be a non-empty array")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"dependency","rate":1,"hosts":["a"],"fault":{"kind":"explode"}}]}""",
        "settings.faults[0].fault.kind must be one of latency, status, connection (was \"explode\")")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"sqsBatchFailure","rate":1,"share":2}]}""",
        "settings.faults[0].share must be between 0 and 1 (was 2)")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"timeout","rate":1,"match":{"path":"a","op":"like","value":"x"}}]}""",
        "settings.faults[0].match.op must be one of eq, startsWith, exists, regex (was \"like\")")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"timeout","rate":1,"match":{"path":"a","op":"regex","value":"(a)\\1"}}]}""",
        "settings.faults[0].match.value uses a construct the time-bounded regex engine does not support")]
    [InlineData("""{"version":1,"enabled":false,"faults":[{"type":"timeout","rate":1,"match":[{"path":"a..b","op":"exists"}]}]}""",
        "settings.faults[0].match[0].path must be a dot-separated path")]
    [InlineData("""[1,2]""", "settings must be a JSON object (was [1,2])")]
    [InlineData("""{"version":1,""", "settings is not valid JSON")]
    [InlineData("", "settings must be a JSON object (was empty)")]
    public void Invalid_documents_report_the_field_and_the_problem(string json, string expected)
    {
        var result = ChaosSettings.Parse(json);

        result.IsValid.ShouldBeFalse();
        result.Settings.ShouldBeNull();
        result.Errors.Select(e => e.Message).ShouldContain(m => m.StartsWith(expected, StringComparison.Ordinal),
            $"errors were: {string.Join(" | ", result.Errors)}");
    }

    [Fact]
    public void Every_bad_field_is_reported_not_only_the_first()
    {
        var result = ChaosSettings.Parse("""
            {"version":1,"enabled":true,"expiresAt":"2026-11-22T01:00:00Z","faults":[
              {"type":"latency","rate":-1,"ms":10},
              {"type":"statusCode","rate":1,"statusCode":42}]}
            """);

        result.Errors.Select(e => e.Field).ShouldBe(["settings.faults[0].rate", "settings.faults[1].statusCode"]);
    }

    [Fact]
    public void Unknown_top_level_fields_are_ignored_so_tools_can_annotate_documents()
    {
        var result = ChaosSettings.Parse("""{"version":1,"enabled":false,"armedBy":"chaos arm","ledger":{"prior":null}}""");

        result.IsValid.ShouldBeTrue();
    }

    [Fact]
    public void Failure_lambda_v1_flags_become_faults_in_failure_lambdas_order()
    {
        var settings = ChaosSettings.Parse(FixtureFiles.Read("failure-lambda-v1.json")).Settings!;

        settings.Layout.ShouldBe(SettingsLayout.FailureLambdaV1);
        settings.Enabled.ShouldBeTrue();
        settings.IsArmedAt(BeforeExpiry).ShouldBeTrue();

        // types.ts FAILURE_MODE_ORDER: latency, timeout, diskspace, denylist, statuscode, exception, corruption.
        settings.Faults.Select(f => f.Type).ShouldBe(["latency", "timeout", "dependency", "statusCode"]);
        var latency = settings.Faults[0].ShouldBeOfType<LatencyFaultSettings>();
        (latency.Rate, latency.MinMs, latency.MaxMs, latency.AllowPastDeadline).ShouldBe((0.5, 100, 400, true));
        latency.Match.Select(m => (m.Path, m.Operator, m.Value, m.CaseSensitive)).ShouldBe(
            [("requestContext.http.method", MatchOperator.Eq, "GET", true), ("rawPath", MatchOperator.StartsWith, "/api", true)]);
        settings.Faults[1].ShouldBeOfType<TimeoutFaultSettings>().BufferMs.ShouldBe(500);
        var denylist = settings.Faults[2].ShouldBeOfType<DependencyFaultSettings>();
        denylist.Kind.ShouldBe(DependencyFaultKind.Connection);
        denylist.Rate.ShouldBe(1);
        denylist.MatchesHost("dynamodb.eu-west-1.amazonaws.com").ShouldBeTrue();
        denylist.MatchesHost("sqs.eu-west-1.amazonaws.com").ShouldBeFalse();
        var status = settings.Faults[3].ShouldBeOfType<StatusCodeFaultSettings>();
        (status.Rate, status.StatusCode, status.RunHandler).ShouldBe((0.1, 404, false));
    }

    [Fact]
    public void Failure_lambda_v1_corruption_becomes_a_corruption_fault()
    {
        var settings = ChaosSettings.Parse("""{"corruption":{"enabled":true,"body":"x"},"diskspace":{"enabled":true}}""").Settings!;

        settings.Faults[0].ShouldBeOfType<DiskSpaceFaultSettings>().Megabytes.ShouldBe(100);
        settings.Faults[1].ShouldBeOfType<CorruptionFaultSettings>().Body.ShouldBe("x");
    }

    [Fact]
    public void Failure_lambda_v1_invalid_flag_is_a_warning_naming_it_and_the_rest_stays_valid()
    {
        var result = ChaosSettings.Parse("""{"latency":{"enabled":true,"percentage":150},"exception":{"enabled":true}}""");

        result.IsValid.ShouldBeTrue();
        result.Settings!.Faults.Single().ShouldBeOfType<ExceptionFaultSettings>().Message.ShouldBe("Injected exception");
        result.Warnings.Select(w => w.Message).ShouldBe([
            "settings.latency.percentage must be between 0 and 100 (was 150)",
            "settings.latency is skipped: the other flags stay as they are",
        ]);
    }

    [Fact]
    public void Failure_lambda_0x_selects_only_the_failure_mode()
    {
        var latency = ChaosSettings.Parse(FixtureFiles.Read("failure-lambda-0x.json")).Settings!;
        var denylist = ChaosSettings.Parse(FixtureFiles.Read("failure-lambda-0x-denylist.json")).Settings!;

        latency.Layout.ShouldBe(SettingsLayout.FailureLambda0x);
        var fault = latency.Faults.Single().ShouldBeOfType<LatencyFaultSettings>();
        (fault.Rate, fault.MinMs, fault.MaxMs).ShouldBe((1.0, 100, 400));
        var dependency = denylist.Faults.Single().ShouldBeOfType<DependencyFaultSettings>();
        dependency.Rate.ShouldBe(0.5);
        dependency.Hosts.ShouldAllBe(h => h.IsRegex);
        dependency.MatchesHost("s3.eu-west-1.amazonaws.com").ShouldBeTrue();
    }

    [Fact]
    public void Chaos_lambda_03_layouts_map_each_fault_type()
    {
        var exception = ChaosSettings.Parse(FixtureFiles.Read("chaos-lambda-0.3-exception.json")).Settings!;
        var status = ChaosSettings.Parse(FixtureFiles.Read("chaos-lambda-0.3-status.json")).Settings!;
        var latency = ChaosSettings.Parse(FixtureFiles.Read("chaos-lambda-0.3-latency.json")).Settings!;
        var disabled = ChaosSettings.Parse(FixtureFiles.Read("chaos-lambda-disabled.json")).Settings!;

        exception.Layout.ShouldBe(SettingsLayout.ChaosLambda03);
        exception.Faults.Single().ShouldBeOfType<ExceptionFaultSettings>().Message.ShouldBe("This is chaos");
        var statusFault = status.Faults.Single().ShouldBeOfType<StatusCodeFaultSettings>();
        (statusFault.StatusCode, statusFault.Rate, statusFault.RunHandler, statusFault.Body).ShouldBe((404, 0.5, true, (string?)null));
        var latencyFault = latency.Faults.Single().ShouldBeOfType<LatencyFaultSettings>();
        (latencyFault.MinMs, latencyFault.MaxMs).ShouldBe((400, 400));
        disabled.IsArmedAt(BeforeExpiry).ShouldBeFalse();
    }

    [Fact]
    public void Chaos_lambda_layout_names_a_missing_fault_type()
    {
        var result = ChaosSettings.Parse("""{"is_enabled":true,"delay":400}""");

        result.Errors.Single().Message.ShouldBe("settings.fault_type is required (a string)");
    }

    [Fact]
    public void Legacy_layouts_may_carry_an_expiry_that_then_applies()
    {
        var settings = ChaosSettings.Parse("""{"isEnabled":true,"failureMode":"exception","expiresAt":"2026-11-22T00:00:00Z"}""").Settings!;

        settings.IsArmedAt(BeforeExpiry.AddHours(-1)).ShouldBeTrue();
        settings.IsArmedAt(BeforeExpiry).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("  false ", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    [InlineData("Off", false)]
    [InlineData("true", true)]
    [InlineData("""{"halted":true,"by":"chaos halt"}""", true)]
    [InlineData("yes", true)]
    public void Halt_values_follow_the_contract(string? value, bool halted) =>
        HaltValue.IsHalted(value).ShouldBe(halted);
}
