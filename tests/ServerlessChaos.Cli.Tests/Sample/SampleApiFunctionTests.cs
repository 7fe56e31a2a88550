using System.Net;
using System.Text.Json.Nodes;
using ServerlessChaos.Samples.SampleApi;
using ServerlessChaos.Samples.SampleApi.ApiGateway;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.Cli.Tests.Sample;

public class SampleApiFunctionTests
{
    private static readonly Uri Inventory = new("http://inventory.local/");

    private sealed class InventoryStub(HttpStatusCode status) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(new HttpResponseMessage(status)
            {
                Content = new StringContent($$"""{"sku":"SKU-{{request.RequestUri!.Segments[^1]}}","available":3}"""),
            });
        }
    }

    private static (SampleApiFunction Function, InventoryStub Stub) Create(string? settings, HttpStatusCode inventoryStatus = HttpStatusCode.OK)
    {
        var stub = new InventoryStub(inventoryStatus);
        var wrapper = new ChaosWrapper(new InMemorySettingsSource(settings), new ChaosOptions { LogWriter = TextWriter.Null, Randomizer = () => 0.5 });
        return (new SampleApiFunction(wrapper, Inventory, stub), stub);
    }

    private static LambdaContext Context() => new("req-1", "sample-api", DateTimeOffset.UtcNow.AddSeconds(10));

    private static APIGatewayProxyRequest Get(string path) => new() { HttpMethod = "GET", Path = path };

    private static string Armed(string faults) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{DateTimeOffset.UtcNow.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}}","faults":{{faults}}}""";

    [Fact]
    public async Task An_order_is_answered_with_its_inventory_item()
    {
        var (function, stub) = Create(null);

        var response = await function.Handler(Get("/orders/42"), Context());

        response.StatusCode.ShouldBe(200);
        JsonNode.Parse(response.Body!)!["sku"]!.GetValue<string>().ShouldBe("SKU-42");
        stub.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_failing_inventory_gives_502_and_an_unknown_route_404()
    {
        var (function, _) = Create(null, HttpStatusCode.InternalServerError);

        (await function.Handler(Get("/orders/42"), Context())).StatusCode.ShouldBe(502);
        (await function.Handler(Get("/nowhere"), Context())).StatusCode.ShouldBe(404);
    }

    [Fact]
    public async Task An_armed_dependency_fault_on_the_inventory_host_reaches_the_handler_as_a_failed_call()
    {
        var (function, stub) = Create(Armed("""[{"type":"dependency","rate":1,"hosts":["inventory.local"],"fault":{"kind":"status","statusCode":503}}]"""));

        var response = await function.Handler(Get("/orders/42"), Context());

        response.StatusCode.ShouldBe(502);
        response.Body!.ShouldContain("inventory answered 503");
        stub.Calls.ShouldBe(0); // the fault answered instead of the inventory
    }

    [Fact]
    public async Task An_armed_status_code_fault_answers_for_the_handler_and_marks_the_response()
    {
        var (function, _) = Create(Armed("""[{"type":"statusCode","rate":1,"statusCode":503}]"""));

        var response = await function.Handler(Get("/orders/42"), Context());

        response.StatusCode.ShouldBe(503);
        response.Headers!["X-Chaos-Injected"].ShouldBe("statusCode");
    }

    [Fact]
    public async Task The_json_entry_point_reads_an_api_gateway_event_and_writes_a_proxy_response()
    {
        var (function, _) = Create(null);

        var json = await function.InvokeJsonAsync("""{"resource":"/{proxy+}","path":"/orders/7","httpMethod":"GET","headers":{"Accept":"*/*"},"requestContext":{"requestId":"abc","stage":"prod"},"body":null,"isBase64Encoded":false}""", Context());

        var response = JsonNode.Parse(json)!;
        response["statusCode"]!.GetValue<int>().ShouldBe(200);
        JsonNode.Parse(response["body"]!.GetValue<string>())!["orderId"]!.GetValue<string>().ShouldBe("7");
    }
}
