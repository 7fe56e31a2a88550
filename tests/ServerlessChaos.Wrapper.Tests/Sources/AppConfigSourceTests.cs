using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

/// <summary>The AppConfig source against a loopback server shaped like the AppConfig Agent Lambda extension.</summary>
public class AppConfigSourceTests
{
    private const string Profile = "/applications/checkout/environments/prod/configurations/chaos";

    private static Dictionary<string, string?> Variables(LoopbackServer agent) => new()
    {
        [ChaosWrapper.SourceVariable] = "appconfig",
        [ChaosWrapper.AppConfigApplicationVariable] = "checkout",
        [ChaosWrapper.AppConfigEnvironmentVariable] = "prod",
        [ChaosWrapper.AppConfigProfileVariable] = "chaos",
        ["AWS_APPCONFIG_EXTENSION_HTTP_PORT"] = agent.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task A_freeform_profile_in_this_projects_layout_arms_the_wrapper()
    {
        await using var agent = await LoopbackServer.StartAsync(LoopbackServer.Json(200, Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), "application/json", headers: ("Configuration-Version", "3")));
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null, TimeProvider = new ManualTimeProvider() }, Variables(agent).GetValueOrDefault);

        var status = await wrapper.GetStatusAsync();

        status.Armed.ShouldBeTrue();
        status.Settings.Faults.ShouldHaveSingleItem().Type.ShouldBe("statusCode");
        agent.Requests.ShouldHaveSingleItem().Path.ShouldBe(Profile);
    }

    [Fact]
    public async Task A_feature_flag_profile_reads_as_failure_lambda_flags()
    {
        // What the agent answers for a feature-flag profile: one object per flag, its attributes beside "enabled".
        const string flags = """{"latency":{"enabled":true,"min_latency":100,"max_latency":100},"exception":{"enabled":false}}""";
        await using var agent = await LoopbackServer.StartAsync(LoopbackServer.Json(200, flags, "application/json"));
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null, TimeProvider = new ManualTimeProvider() }, Variables(agent).GetValueOrDefault);

        var status = await wrapper.GetStatusAsync();

        status.Settings.Layout.ShouldBe(ServerlessChaos.Wrapper.Settings.SettingsLayout.FailureLambdaV1);
        status.Armed.ShouldBeTrue();
        status.Settings.Faults.ShouldHaveSingleItem().Type.ShouldBe("latency");
    }

    [Fact]
    public async Task A_profile_the_agent_does_not_know_is_the_disarmed_baseline()
    {
        await using var agent = await LoopbackServer.StartAsync(LoopbackServer.Json(404, """{"Message":"not found"}""", "application/json"));
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null, TimeProvider = new ManualTimeProvider() }, Variables(agent).GetValueOrDefault);

        (await wrapper.GetStatusAsync()).Armed.ShouldBeFalse();
    }

    [Fact]
    public async Task An_agent_error_keeps_chaos_off_and_is_logged_with_the_profile()
    {
        await using var agent = await LoopbackServer.StartAsync(LoopbackServer.Json(500, "boom", "text/plain"));
        var log = new StringWriter();
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log, TimeProvider = new ManualTimeProvider() }, Variables(agent).GetValueOrDefault);

        var result = await wrapper.InvokeAsync("event", new TestLambdaContext(), (_, _) => Task.FromResult("own"));

        result.ShouldBe("own");
        Messages(log).ShouldContain("appconfig:checkout/prod/chaos");
        Messages(log).ShouldContain("the AppConfig agent answered 500");
    }

    [Fact]
    public void A_missing_profile_variable_is_one_log_line_naming_it_and_no_chaos()
    {
        var variables = new Dictionary<string, string?> { [ChaosWrapper.SourceVariable] = "appconfig", [ChaosWrapper.AppConfigApplicationVariable] = "checkout" };
        var log = new StringWriter();

        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log }, variables.GetValueOrDefault);

        wrapper.IsOptedIn.ShouldBeFalse();
        Messages(log).ShouldContain("SERVERLESS_CHAOS_APPCONFIG_ENVIRONMENT is required with SERVERLESS_CHAOS_SOURCE=appconfig");
    }

    [Fact]
    public void An_unknown_source_is_named_rather_than_silently_replaced_by_ssm()
    {
        var variables = new Dictionary<string, string?> { [ChaosWrapper.SourceVariable] = "app-config", [ChaosWrapper.ParameterVariable] = "/serverless-chaos/functions/checkout" };
        var log = new StringWriter();

        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log }, variables.GetValueOrDefault);

        wrapper.IsOptedIn.ShouldBeFalse();
        Messages(log).ShouldContain("SERVERLESS_CHAOS_SOURCE must be ssm, extension or appconfig (was \"app-config\")");
    }

    /// <summary>The message and errors of every JSON log line, as one text per line.</summary>
    private static string Messages(StringWriter log) => string.Join("\n", log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
        .Select(e => $"{e.GetProperty("message").GetString()} {(e.TryGetProperty("source", out var s) ? s.GetString() : "")} {(e.TryGetProperty("exception", out var x) ? x.GetString() : "")}"));
}
