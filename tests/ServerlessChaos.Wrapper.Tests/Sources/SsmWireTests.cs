using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Wrapper.Sources.Ssm;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

/// <summary>The SSM read on the wire, against Kestrel on 127.0.0.1: whatever SSM does, the handler answers.</summary>
public class SsmWireTests
{
    private const string Parameter = "/serverless-chaos/functions/checkout";
    private const string Halt = ChaosConventions.HaltParameter;
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static string GetParametersReply(string? settings, string? halt = null)
    {
        var found = new List<object>();
        var missing = new List<string>();
        if (settings is null)
        {
            missing.Add(Parameter);
        }
        else
        {
            found.Add(new { Name = Parameter, Type = "String", Value = settings, Version = 3, ARN = "arn:aws:ssm:eu-west-1:123456789012:parameter" + Parameter, DataType = "text" });
        }

        if (halt is null)
        {
            missing.Add(Halt);
        }
        else
        {
            found.Add(new { Name = Halt, Type = "String", Value = halt, Version = 1 });
        }

        return JsonSerializer.Serialize(new { Parameters = found, InvalidParameters = missing });
    }

    private static (ChaosWrapper Wrapper, ManualTimeProvider Clock, StringWriter Log) Wrapper(Uri endpoint)
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var reader = new SsmParametersReader("eu-west-1", endpoint, () => new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "token"), clock);
        var log = new StringWriter();
        var wrapper = new ChaosWrapper(new SsmSettingsSource(reader, Parameter, Halt), new ChaosOptions { TimeProvider = clock, LogWriter = log, Randomizer = Sequence.Always(0.5) });
        return (wrapper, clock, log);
    }

    private static string ArmedStatus(ManualTimeProvider clock) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{clock.GetUtcNow().AddHours(1):O}}","faults":[{"type":"statusCode","rate":1,"statusCode":503}]}""";

    private static Task<APIGatewayHttpApiV2ProxyResponse> Invoke(ChaosWrapper wrapper) =>
        wrapper.InvokeAsync(Get, new TestLambdaContext(), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "own" }));

    [Fact]
    public async Task Settings_and_halt_are_read_in_one_signed_GetParameters_call()
    {
        await using var server = await LoopbackServer.StartAsync();
        var (wrapper, clock, _) = Wrapper(server.Url);
        server.Handler = LoopbackServer.Json(200, GetParametersReply(ArmedStatus(clock)));

        var response = await Invoke(wrapper);

        response.StatusCode.ShouldBe(503);
        var request = server.Requests.ShouldHaveSingleItem();
        request.Headers["x-amz-target"].ShouldBe("AmazonSSM.GetParameters");
        request.Headers["authorization"].ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/");
        using var body = JsonDocument.Parse(request.BodyText);
        body.RootElement.GetProperty("Names").EnumerateArray().Select(n => n.GetString()).ShouldBe([Parameter, Halt]);
    }

    [Fact]
    public async Task The_halt_parameter_in_the_same_reply_stops_injection()
    {
        await using var server = await LoopbackServer.StartAsync();
        var (wrapper, clock, _) = Wrapper(server.Url);
        server.Handler = LoopbackServer.Json(200, GetParametersReply(ArmedStatus(clock), """{"halted":true}"""));

        (await Invoke(wrapper)).StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task A_missing_parameter_is_disarmed()
    {
        await using var server = await LoopbackServer.StartAsync();
        var (wrapper, _, log) = Wrapper(server.Url);
        server.Handler = LoopbackServer.Json(200, GetParametersReply(null));

        (await Invoke(wrapper)).Body.ShouldBe("own");
        log.ToString().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", "ThrottlingException")]
    [InlineData(500, """{"__type":"InternalServerError","message":"oops"}""", "InternalServerError")]
    [InlineData(200, """{"Parameters":[{"Name":""", "")]
    [InlineData(200, """<html>not json</html>""", "")]
    public async Task Throttling_server_errors_and_malformed_replies_leave_the_handler_answering(int status, string reply, string logged)
    {
        await using var server = await LoopbackServer.StartAsync();
        var (wrapper, _, log) = Wrapper(server.Url);
        server.Handler = LoopbackServer.Json(status, reply);

        var response = await Invoke(wrapper);

        (response.StatusCode, response.Body).ShouldBe((200, "own"));
        var line = JsonDocument.Parse(log.ToString().Trim().Split('\n').Single()).RootElement;
        line.GetProperty("level").GetString().ShouldBe("ERROR");
        line.GetProperty("source").GetString().ShouldBe("ssm:" + Parameter);
        line.GetProperty("exception").GetString()!.ShouldContain(logged);
    }

    [Fact]
    public async Task A_refused_connection_leaves_the_handler_answering()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var (wrapper, _, log) = Wrapper(new Uri($"http://127.0.0.1:{port}/"));

        var response = await Invoke(wrapper);

        (response.StatusCode, response.Body).ShouldBe((200, "own"));
        log.ToString().ShouldContain("Could not read chaos settings");
    }

    [Fact]
    public async Task A_reply_slower_than_the_budget_does_not_hold_the_invocation()
    {
        await using var server = await LoopbackServer.StartAsync();
        var (wrapper, clock, _) = Wrapper(server.Url);
        var release = new TaskCompletionSource();
        server.Handler = async context =>
        {
            await release.Task;
            await LoopbackServer.Json(200, GetParametersReply(ArmedStatus(clock)))(context);
        };

        var invocation = Invoke(wrapper);
        for (var i = 0; i < 2000 && server.Requests.IsEmpty; i++)
        {
            await Task.Delay(5);
        }

        server.Requests.ShouldNotBeEmpty();
        invocation.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(250));
        var response = await invocation.WaitAsync(TimeSpan.FromSeconds(30));
        (response.StatusCode, response.Body).ShouldBe((200, "own"));

        // The slow read still lands and arms the wrapper for later invocations.
        release.SetResult();
        for (var i = 0; i < 2000 && !(await wrapper.GetStatusAsync()).Armed; i++)
        {
            await Task.Delay(5);
        }

        (await Invoke(wrapper)).StatusCode.ShouldBe(503);
        server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task After_a_failure_the_last_good_settings_stay_and_reads_back_off()
    {
        await using var server = await LoopbackServer.StartAsync();
        var (wrapper, clock, _) = Wrapper(server.Url);
        server.Handler = LoopbackServer.Json(200, GetParametersReply(ArmedStatus(clock)));
        (await Invoke(wrapper)).StatusCode.ShouldBe(503);

        server.Handler = LoopbackServer.Json(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""");
        clock.Advance(TimeSpan.FromSeconds(5));
        (await Invoke(wrapper)).StatusCode.ShouldBe(503);
        server.Requests.Count.ShouldBe(2);

        // Backoff: 1 s × jitter 0.75 = 750 ms before the next read.
        clock.Advance(TimeSpan.FromMilliseconds(700));
        (await Invoke(wrapper)).StatusCode.ShouldBe(503);
        server.Requests.Count.ShouldBe(2);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        await Invoke(wrapper);
        server.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task From_the_environment_the_reader_signs_with_the_functions_keys_and_honours_the_SSM_endpoint_override()
    {
        await using var server = await LoopbackServer.StartAsync();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        server.Handler = LoopbackServer.Json(200, GetParametersReply(ArmedStatus(clock)));
        var variables = new Dictionary<string, string?>
        {
            [ChaosWrapper.ParameterVariable] = Parameter,
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "ASIAFUNCTIONROLE",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_SESSION_TOKEN"] = "session-token",
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1/",
            ["AWS_ENDPOINT_URL_SSM"] = server.Url.ToString(),
        };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null }, variables.GetValueOrDefault);

        (await Invoke(wrapper)).StatusCode.ShouldBe(503);

        var request = server.Requests.ShouldHaveSingleItem();
        request.Header("authorization")!.ShouldStartWith($"AWS4-HMAC-SHA256 Credential=ASIAFUNCTIONROLE/{clock.GetUtcNow():yyyyMMdd}/eu-west-1/ssm/aws4_request");
        request.Header("x-amz-security-token").ShouldBe("session-token");
        request.Header("content-type").ShouldBe("application/x-amz-json-1.1");
    }

    [Fact]
    public async Task Rotated_keys_in_the_environment_are_used_on_the_next_read()
    {
        await using var server = await LoopbackServer.StartAsync();
        var clock = new ManualTimeProvider(DateTimeOffset.UtcNow);
        server.Handler = LoopbackServer.Json(200, GetParametersReply(null));
        var variables = new Dictionary<string, string?>
        {
            [ChaosWrapper.ParameterVariable] = Parameter,
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ACCESS_KEY_ID"] = "ASIAFIRST",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_ENDPOINT_URL"] = server.Url.ToString(),
        };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null }, variables.GetValueOrDefault);
        await Invoke(wrapper);

        variables["AWS_ACCESS_KEY_ID"] = "ASIASECOND";
        clock.Advance(TimeSpan.FromMinutes(2));
        await Invoke(wrapper);

        server.Requests.Select(r => r.Header("authorization")!.Split('/')[0]).ShouldBe(["AWS4-HMAC-SHA256 Credential=ASIAFIRST", "AWS4-HMAC-SHA256 Credential=ASIASECOND"]);
    }

    [Theory]
    [InlineData(null, "http://127.0.0.1:1/", "AWS_REGION")]
    [InlineData("eu-west-1", "not a url", "AWS_ENDPOINT_URL_SSM must be an absolute http or https URL (was 'not a url')")]
    public async Task A_broken_environment_means_no_chaos_and_one_line_naming_the_variable(string? region, string endpoint, string named)
    {
        var log = new StringWriter();
        var variables = new Dictionary<string, string?>
        {
            [ChaosWrapper.ParameterVariable] = Parameter,
            ["AWS_REGION"] = region,
            ["AWS_ACCESS_KEY_ID"] = "AKID",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_ENDPOINT_URL_SSM"] = endpoint,
        };

        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log }, variables.GetValueOrDefault);

        (await Invoke(wrapper)).Body.ShouldBe("own");
        var line = JsonDocument.Parse(log.ToString().Trim().Split('\n').ShouldHaveSingleItem()).RootElement;
        line.GetProperty("exception").GetString()!.ShouldContain(named);
    }

    [Fact]
    public async Task Missing_keys_are_a_failed_read_that_names_the_variable_and_leaves_the_handler_answering()
    {
        await using var server = await LoopbackServer.StartAsync();
        var log = new StringWriter();
        var variables = new Dictionary<string, string?>
        {
            [ChaosWrapper.ParameterVariable] = Parameter,
            ["AWS_REGION"] = "eu-west-1",
            ["AWS_ENDPOINT_URL"] = server.Url.ToString(),
        };
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log, TimeProvider = new ManualTimeProvider(DateTimeOffset.UtcNow) }, variables.GetValueOrDefault);

        (await Invoke(wrapper)).Body.ShouldBe("own");
        server.Requests.ShouldBeEmpty();
        log.ToString().ShouldContain("AWS_ACCESS_KEY_ID is not set");
    }
}
