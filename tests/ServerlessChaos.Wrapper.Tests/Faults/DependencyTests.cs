using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class DependencyTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static string Dependency(string fault, double rate = 1, string hosts = "\"*.dynamodb.*.amazonaws.com\"") =>
        Documents.Armed($$"""{"type":"dependency","rate":{{rate}},"hosts":[{{hosts}}],"fault":{{fault}}}""");

    private static (Harness Harness, HttpClient Client, Recorder Inner) Setup(string settings, Func<double>? random = null)
    {
        var harness = new Harness(settings, random);
        var inner = new Recorder();
        var client = new HttpClient(harness.Wrapper.CreateDependencyHandler(inner));
        return (harness, client, inner);
    }

    private static Task<T> InInvocation<T>(Harness harness, Func<Task<T>> body) =>
        harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) => body());

    private static HttpRequestMessage DynamoDbCall()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://dynamodb.eu-west-1.amazonaws.com/")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/x-amz-json-1.0"),
        };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "DynamoDB_20120810.GetItem");
        return request;
    }

    [Fact]
    public async Task A_status_fault_answers_with_an_aws_shaped_throttling_error_without_sending()
    {
        var (harness, client, inner) = Setup(Dependency("""{"kind":"status","statusCode":400,"errorCode":"ThrottlingException","message":"Rate exceeded"}"""));

        var response = await InInvocation(harness, () => client.SendAsync(DynamoDbCall()));

        inner.Calls.ShouldBe(0);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        response.Headers.GetValues("x-amzn-ErrorType").Single().ShouldBe("ThrottlingException");
        response.Headers.GetValues("X-Chaos-Injected").Single().ShouldBe("dependency");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/x-amz-json-1.0");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        body.RootElement.GetProperty("__type").GetString().ShouldBe("ThrottlingException");
        body.RootElement.GetProperty("message").GetString().ShouldBe("Rate exceeded");
        harness.FaultLines.Single().GetProperty("details").GetProperty("host").GetString().ShouldBe("dynamodb.eu-west-1.amazonaws.com");
    }

    [Fact]
    public async Task Calls_to_other_hosts_pass_through()
    {
        var (harness, client, inner) = Setup(Dependency("""{"kind":"connection"}"""));

        var response = await InInvocation(harness, () => client.GetAsync("https://s3.eu-west-1.amazonaws.com/bucket"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Calls_outside_an_invocation_pass_through()
    {
        var (harness, client, inner) = Setup(Dependency("""{"kind":"connection"}"""));
        await InInvocation(harness, () => Task.FromResult(0));

        var response = await client.SendAsync(DynamoDbCall());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_connection_fault_fails_the_call_as_a_refused_connection()
    {
        var (harness, client, inner) = Setup(Dependency("""{"kind":"connection"}"""));

        var thrown = await Should.ThrowAsync<HttpRequestException>(() => InInvocation(harness, () => client.SendAsync(DynamoDbCall())));

        thrown.HttpRequestError.ShouldBe(HttpRequestError.ConnectionError);
        thrown.InnerException.ShouldBeOfType<SocketException>().SocketErrorCode.ShouldBe(SocketError.ConnectionRefused);
        thrown.Data[InjectedExceptions.DataKey].ShouldBe("dependency");
        inner.Calls.ShouldBe(0);
    }

    [Fact]
    public async Task A_latency_fault_delays_the_call_then_sends_it()
    {
        var (harness, client, inner) = Setup(Dependency("""{"kind":"latency","ms":300}"""));

        var invocation = InInvocation(harness, () => client.SendAsync(DynamoDbCall()));
        await harness.UntilTimerPendingAsync();
        inner.Calls.ShouldBe(0);
        harness.Clock.Advance(TimeSpan.FromMilliseconds(300));
        var response = await invocation;

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        inner.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task The_rate_is_rolled_per_call()
    {
        var random = new Sequence(0.2, 0.8, 0.2);
        var (harness, client, inner) = Setup(Dependency("""{"kind":"status","statusCode":503}""", rate: 0.5), random.Next);

        var statuses = await InInvocation(harness, async () =>
        {
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 3; i++)
            {
                codes.Add((await client.SendAsync(DynamoDbCall())).StatusCode);
            }

            return codes;
        });

        statuses.ShouldBe([HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable]);
        inner.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task Non_json_services_get_the_xml_error_shape()
    {
        var (harness, client, _) = Setup(Dependency("""{"kind":"status","statusCode":503,"errorCode":"SlowDown"}""", hosts: "\"*.s3.*.amazonaws.com\""));

        var response = await InInvocation(harness, () => client.GetAsync("https://bucket.s3.eu-west-1.amazonaws.com/key"));

        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("<Code>SlowDown</Code>");
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/xml");
    }

    [Fact]
    public async Task An_injected_dependency_fault_is_named_on_the_http_response()
    {
        var (harness, client, _) = Setup(Dependency("""{"kind":"status","statusCode":503}"""));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), async (_, _) =>
        {
            var dependency = await client.SendAsync(DynamoDbCall());
            return new APIGatewayHttpApiV2ProxyResponse { StatusCode = (int)dependency.StatusCode };
        });

        response.StatusCode.ShouldBe(503);
        response.Headers["X-Chaos-Injected"].ShouldBe("dependency");
    }

    [Fact]
    public async Task Event_conditions_decide_whether_the_dependency_fault_applies_to_the_invocation()
    {
        var settings = Documents.Armed("""{"type":"dependency","rate":1,"hosts":["*"],"fault":{"kind":"status","statusCode":503},"match":{"path":"requestContext.http.method","value":"POST"}}""");
        var (harness, client, _) = Setup(settings);

        var status = await harness.Wrapper.InvokeAsync(Get, harness.Context(), async (_, _) => (await client.GetAsync("https://example.com/")).StatusCode);

        status.ShouldBe(HttpStatusCode.OK);
    }

    private sealed class Recorder : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = JsonContent.Create(new { ok = true }) });
        }
    }
}
