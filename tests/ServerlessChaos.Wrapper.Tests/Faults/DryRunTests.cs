using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class DryRunTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static Task<APIGatewayHttpApiV2ProxyResponse> Ok(APIGatewayHttpApiV2ProxyRequest request, TestLambdaContext context) =>
        Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "own", Headers = new Dictionary<string, string>() });

    [Fact]
    public async Task A_dry_run_document_logs_and_counts_what_would_fire_and_injects_nothing()
    {
        var document = Documents.Armed("""{"type":"latency","rate":1,"ms":5000}""", """{"type":"statusCode","rate":1,"statusCode":503}""", """{"type":"exception","rate":1}""")
            .Replace("\"enabled\":true", "\"enabled\":true,\"dryRun\":true", StringComparison.Ordinal);
        var harness = new Harness(document);
        var runs = 0;

        // The manual clock never advances: a real 5 s latency would never finish.
        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (r, c) => { runs++; return Ok(r, c); });

        runs.ShouldBe(1);
        (response.StatusCode, response.Body).ShouldBe((200, "own"));
        response.Headers.ShouldNotContainKey("X-Chaos-Injected");
        response.Headers["X-Chaos-Dry-Run"].ShouldBe("latency,statusCode,exception");
        harness.FaultLines.Select(l => (l.GetProperty("fault").GetString(), l.GetProperty("dryRun").GetBoolean(), l.GetProperty("experimentId").GetString()))
            .ShouldBe([("latency", true, "exp-1"), ("statusCode", true, "exp-1"), ("exception", true, "exp-1")]);
        harness.MetricLines.Select(m => (m.GetProperty("FaultsDryRun").GetInt32(), m.TryGetProperty("FaultsInjected", out var _))).ShouldBe([(1, false), (1, false), (1, false)]);
    }

    [Fact]
    public async Task A_dry_run_fault_beside_a_real_one_leaves_the_real_one_armed()
    {
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":1,"dryRun":true}""", """{"type":"statusCode","rate":1,"statusCode":503,"runHandler":true}"""));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), Ok);

        response.StatusCode.ShouldBe(503);
        response.Headers["X-Chaos-Injected"].ShouldBe("statusCode");
        response.Headers["X-Chaos-Dry-Run"].ShouldBe("exception");
    }

    [Fact]
    public async Task A_dry_run_fault_still_rolls_its_rate()
    {
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":0.4,"dryRun":true}"""), Sequence.Always(0.5));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), Ok);

        response.Headers.ShouldNotContainKey("X-Chaos-Dry-Run");
        harness.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_dry_run_dependency_fault_lets_the_call_through_and_logs_it()
    {
        var harness = new Harness(Documents.Armed("""{"type":"dependency","rate":1,"dryRun":true,"hosts":["inventory.internal"],"fault":{"kind":"status","statusCode":503}}"""));
        var inner = new AnswerHandler();
        var http = new HttpClient(harness.Wrapper.CreateDependencyHandler(inner));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), async (_, _) =>
        {
            var reply = await http.GetAsync("http://inventory.internal/items");
            return new APIGatewayHttpApiV2ProxyResponse { StatusCode = (int)reply.StatusCode, Headers = new Dictionary<string, string>() };
        });

        inner.Calls.ShouldBe(1);
        response.StatusCode.ShouldBe(200);
        response.Headers["X-Chaos-Dry-Run"].ShouldBe("dependency");
        harness.FaultLines.ShouldHaveSingleItem().GetProperty("dryRun").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public void Dry_run_must_be_true_or_false()
    {
        var result = ChaosSettings.Parse(Documents.Armed("""{"type":"exception","rate":1,"dryRun":"yes"}"""));

        result.Errors.Single().Message.ShouldBe("settings.faults[0].dryRun must be true or false (was \"yes\")");
    }

    private sealed class AnswerHandler : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.OK));
        }
    }
}
