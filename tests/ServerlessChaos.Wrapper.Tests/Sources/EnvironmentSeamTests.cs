using System.Text.Json;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

/// <summary>
/// <see cref="ChaosWrapper.FromEnvironment"/>'s reader is the one environment the wrapper reads: the function name, the
/// extension's port and session token come from it. The test process's own environment holds none of these variables.
/// </summary>
public class EnvironmentSeamTests
{
    /// <summary>A context with no FunctionName, so the wrapper falls back to the options' (the environment's) name.</summary>
    public sealed class NamelessContext
    {
        public string AwsRequestId => "req-seam";

        public TimeSpan RemainingTime => TimeSpan.FromSeconds(30);
    }

    [Fact]
    public async Task The_function_name_comes_from_the_injected_environment()
    {
        Environment.GetEnvironmentVariable(ChaosWrapper.FunctionNameVariable).ShouldBeNull("the test process must not carry a function name");
        var log = new StringWriter();
        var variables = new Dictionary<string, string?>
        {
            [EnvironmentSettingsSource.DefaultVariable] = Documents.Armed("""{"type":"latency","rate":1,"ms":0}"""),
            [ChaosWrapper.FunctionNameVariable] = "from-the-seam",
        };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log, TimeProvider = new ManualTimeProvider() }, variables.GetValueOrDefault);

        await wrapper.InvokeAsync("event", new NamelessContext(), (_, _) => Task.FromResult("own"));

        wrapper.Options.FunctionName.ShouldBe("from-the-seam");
        var line = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).First(l => l.TryGetProperty("function", out _));
        line.GetProperty("function").GetString().ShouldBe("from-the-seam");
    }

    [Fact]
    public void A_function_name_set_in_the_options_wins_over_the_environment()
    {
        var variables = new Dictionary<string, string?> { [ChaosWrapper.FunctionNameVariable] = "from-the-seam" };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null, FunctionName = "set-in-code" }, variables.GetValueOrDefault);

        wrapper.Options.FunctionName.ShouldBe("set-in-code");
    }

    [Fact]
    public async Task The_extension_source_takes_its_port_and_session_token_from_the_injected_environment()
    {
        Environment.GetEnvironmentVariable(ChaosWrapper.ExtensionPortVariable).ShouldBeNull("the test process must not name an extension port");
        await using var extension = await LoopbackServer.StartAsync(async context =>
        {
            var name = context.Request.Query["name"].ToString();
            if (name == ChaosConventions.HaltParameter)
            {
                await LoopbackServer.Json(400, "ParameterNotFound", "text/plain")(context);
                return;
            }

            var reply = JsonSerializer.Serialize(new { Parameter = new { Name = name, Type = "String", Value = Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), Version = 2 } });
            await LoopbackServer.Json(200, reply, "application/json")(context);
        });
        var variables = new Dictionary<string, string?>
        {
            [ChaosWrapper.ParameterVariable] = "/serverless-chaos/functions/checkout",
            [ChaosWrapper.SourceVariable] = "extension",
            [ChaosWrapper.ExtensionPortVariable] = extension.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["AWS_SESSION_TOKEN"] = "token-from-the-seam",
        };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null, TimeProvider = new ManualTimeProvider() }, variables.GetValueOrDefault);

        (await wrapper.GetStatusAsync()).Armed.ShouldBeTrue();

        extension.Requests.Count.ShouldBe(2); // the settings and the halt parameter
        extension.Requests.ShouldAllBe(r => r.Header("x-aws-parameters-secrets-token") == "token-from-the-seam");
    }

    [Fact]
    public void An_extension_port_that_is_not_a_port_is_one_line_naming_the_variable_and_no_chaos()
    {
        var log = new StringWriter();
        var variables = new Dictionary<string, string?>
        {
            [ChaosWrapper.ParameterVariable] = "/serverless-chaos/functions/checkout",
            [ChaosWrapper.SourceVariable] = "extension",
            [ChaosWrapper.ExtensionPortVariable] = "twenty-seven",
        };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log }, variables.GetValueOrDefault);

        wrapper.IsOptedIn.ShouldBeFalse();
        var line = log.ToString().Trim().Split('\n').ShouldHaveSingleItem();
        JsonDocument.Parse(line).RootElement.GetProperty("exception").GetString()!.ShouldContain("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be a port number 1-65535 (was \"twenty-seven\")");
    }
}
