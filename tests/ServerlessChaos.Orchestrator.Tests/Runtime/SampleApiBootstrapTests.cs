using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Orchestrator.Runtime;
using FakeRuntimeApi = ServerlessChaos.Orchestrator.Tests.Runtime.LambdaRuntimeLoopTests.FakeRuntimeApi;

namespace ServerlessChaos.Orchestrator.Tests.Runtime;

/// <summary>The bootstrap with <c>_HANDLER=sample-api</c> against a local Runtime API, inventory and SSM on 127.0.0.1.</summary>
public class SampleApiBootstrapTests
{
    private const string Parameter = "/serverless-chaos/functions/sample-api";
    private const string Halt = ChaosConventions.HaltParameter;


    private static string GetEvent(string path) => new JsonObject
    {
        ["resource"] = "/{proxy+}",
        ["path"] = path,
        ["httpMethod"] = "GET",
        ["headers"] = new JsonObject { ["Accept"] = "application/json" },
        ["requestContext"] = new JsonObject { ["requestId"] = "api-1", ["stage"] = "prod", ["httpMethod"] = "GET", ["path"] = "/prod" + path },
        ["isBase64Encoded"] = false,
    }.ToJsonString();

    private static async Task<List<FakeRuntimeApi.Post>> ServeAsync(FakeRuntimeApi api, Dictionary<string, string?> env, ManualTimeProvider clock, params (string Id, string Path)[] invocations)
    {
        env["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        env["_HANDLER"] = "sample-api";
        env["AWS_LAMBDA_FUNCTION_NAME"] = "sample-api";
        foreach (var (id, path) in invocations)
        {
            api.Enqueue(id, GetEvent(path), clock.GetUtcNow().AddSeconds(30));
        }

        using var stop = new CancellationTokenSource();
        var running = LambdaBootstrap.RunAsync(n => env.GetValueOrDefault(n), api.Http, clock, createBackends: null, stop.Token);
        var posts = await api.WaitForPostsAsync(invocations.Length);
        await stop.CancelAsync();
        (await running).ShouldBe(0);
        return posts;
    }

    [Fact]
    public async Task An_API_Gateway_event_is_answered_with_a_200_proxy_response_from_the_configured_inventory()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var inventoryPaths = new List<string>();
        const string InventoryPrefix = "/base/inventory/";
        await using var inventory = await LoopbackServer.StartAsync(async http =>
        {
            var path = http.Request.Path.Value ?? "";
            if (!HttpMethods.IsGet(http.Request.Method) || !path.StartsWith(InventoryPrefix, StringComparison.Ordinal) || path.Length == InventoryPrefix.Length || path.IndexOf('/', InventoryPrefix.Length) >= 0)
            {
                http.Response.StatusCode = 404;
                return;
            }

            lock (inventoryPaths)
            {
                inventoryPaths.Add(path);
            }

            await http.Response.WriteAsJsonAsync(new { sku = "REAL-" + Uri.UnescapeDataString(path[InventoryPrefix.Length..]), available = 7 });
        });
        var url = inventory.Url;
        var env = new Dictionary<string, string?> { ["SAMPLE_INVENTORY_URL"] = new Uri(url, "/base").AbsoluteUri };

        var posts = await ServeAsync(api, env, new ManualTimeProvider(), ("o1", "/orders/42"), ("h1", "/health"));

        posts[0].Path.ShouldBe("/2018-06-01/runtime/invocation/o1/response");
        var response = JsonNode.Parse(posts[0].Body)!;
        response["statusCode"]!.GetValue<int>().ShouldBe(200);
        response["headers"]!["Content-Type"]!.GetValue<string>().ShouldBe("application/json");
        var order = JsonNode.Parse(response["body"]!.GetValue<string>())!;
        order["orderId"]!.GetValue<string>().ShouldBe("42");
        order["sku"]!.GetValue<string>().ShouldBe("REAL-42");
        order["available"]!.GetValue<int>().ShouldBe(7);
        inventoryPaths.ShouldBe(["/base/inventory/42"]);
        posts[1].Path.ShouldBe("/2018-06-01/runtime/invocation/h1/response");
        JsonNode.Parse(posts[1].Body)!["statusCode"]!.GetValue<int>().ShouldBe(200);
    }

    [Fact]
    public async Task Without_an_inventory_url_the_built_in_inventory_answers()
    {
        await using var api = await FakeRuntimeApi.StartAsync();

        var posts = await ServeAsync(api, new Dictionary<string, string?>(), new ManualTimeProvider(), ("o1", "/orders/abc"));

        var response = JsonNode.Parse(posts.Single().Body)!;
        response["statusCode"]!.GetValue<int>().ShouldBe(200);
        var order = JsonNode.Parse(response["body"]!.GetValue<string>())!;
        order["sku"]!.GetValue<string>().ShouldBe("SKU-abc");
        order["available"]!.GetValue<int>().ShouldBeInRange(0, 49);
    }

    [Fact]
    public async Task Armed_settings_from_SSM_inject_the_status_code_with_the_chaos_header()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        var settings = $$"""{"version":1,"enabled":true,"expiresAt":"{{clock.GetUtcNow().AddHours(1):O}}","faults":[{"type":"statusCode","rate":1,"statusCode":503,"body":"{\"message\":\"injected\"}"}]}""";
        var ssmCalls = new List<(string? Target, string Body)>();
        await using var ssm = await LoopbackServer.StartAsync(async http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/")
            {
                http.Response.StatusCode = 404;
                return;
            }

            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            lock (ssmCalls)
            {
                ssmCalls.Add((http.Request.Headers["X-Amz-Target"].FirstOrDefault(), body));
            }

            http.Response.ContentType = "application/x-amz-json-1.1";
            await http.Response.WriteAsync(JsonSerializer.Serialize(new
            {
                Parameters = new[] { new { Name = Parameter, Type = "String", Value = settings, Version = 1 } },
                InvalidParameters = new[] { Halt },
            }));
        });
        var ssmUrl = ssm.Url;
        var env = new Dictionary<string, string?>
        {
            ["SERVERLESS_CHAOS_PARAMETER"] = Parameter,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE",
            ["AWS_SECRET_ACCESS_KEY"] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ["AWS_ENDPOINT_URL_SSM"] = ssmUrl.AbsoluteUri,
        };

        var posts = await ServeAsync(api, env, clock, ("o1", "/orders/42"));

        posts.Single().Path.ShouldBe("/2018-06-01/runtime/invocation/o1/response");
        var response = JsonNode.Parse(posts.Single().Body)!;
        response["statusCode"]!.GetValue<int>().ShouldBe(503);
        response["headers"]!["X-Chaos-Injected"]!.GetValue<string>().ShouldBe("statusCode");
        response["body"]!.GetValue<string>().ShouldBe("""{"message":"injected"}""");
        var call = ssmCalls.ShouldHaveSingleItem();
        call.Target.ShouldBe("AmazonSSM.GetParameters");
        JsonNode.Parse(call.Body)!["Names"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe([Parameter, Halt], ignoreOrder: true);
    }

    [Fact]
    public async Task A_malformed_inventory_url_is_an_init_error_naming_the_variable()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
            ["_HANDLER"] = "sample-api",
            ["SAMPLE_INVENTORY_URL"] = "inventory.internal",
        };

        var exit = await LambdaBootstrap.RunAsync(n => env.GetValueOrDefault(n), api.Http, new ManualTimeProvider(), createBackends: null, CancellationToken.None);

        exit.ShouldBe(1);
        var post = (await api.WaitForPostsAsync(1)).Single();
        post.Path.ShouldBe("/2018-06-01/runtime/init/error");
        JsonNode.Parse(post.Body)!["errorMessage"]!.GetValue<string>().ShouldStartWith("SAMPLE_INVENTORY_URL must be an absolute http or https URL (was \"inventory.internal\")");
    }
}
