using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.ColdStartFunction;

/// <summary>
/// One cold start: <c>bare|disarmed|armed [json-warm]</c>. Prints the microseconds from "the handler is about to be
/// set up" to "its first invocation returned": for <c>bare</c> the handler alone, otherwise creating the wrapper,
/// decorating and the first invocation through it. The settings come from memory (the network read is excluded; the
/// parse is included). <c>json-warm</c> first deserializes an event and serializes a response with System.Text.Json,
/// as the Lambda serializer has done before any handler runs.
/// </summary>
public static class Program
{
    private const string Disarmed = """{"version":1,"enabled":false}""";

    // A latency fault (0 ms) that fires and a status fault with a condition on the event that fires: the injected path, cold.
    private const string Armed = """
        {"version":1,"enabled":true,"expiresAt":"2099-01-01T00:00:00Z","experimentId":"cold","faults":[
          {"type":"latency","rate":1,"ms":0},
          {"type":"statusCode","rate":0.5,"statusCode":503,"match":{"path":"rawPath","op":"startsWith","value":"/orders"}}]}
        """;

    public static int Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "";
        if (mode is not ("bare" or "disarmed" or "armed"))
        {
            Console.Error.WriteLine("usage: ServerlessChaos.ColdStartFunction bare|disarmed|armed [json-warm]");
            return 2;
        }

        var request = new Request { RawPath = "/orders/1" };
        if (args.Length > 1 && args[1] == "json-warm")
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(request, FunctionJson.Default.Request);
            request = JsonSerializer.Deserialize(json, FunctionJson.Default.Request)!;
            JsonSerializer.SerializeToUtf8Bytes(new Response { StatusCode = 200 }, FunctionJson.Default.Response);
        }

        var context = new Context();
        Func<Request, Context, Task<Response>> bare = static (_, _) => Task.FromResult(new Response { StatusCode = 200 });
        // The function's serializer context exists before its first invocation whatever the wrapper does (the Lambda
        // serializer is built at start-up); creating it is not the wrapper's cost. Using it is left to json-warm.
        _ = FunctionJson.Default;
        var watch = Stopwatch.StartNew();
        Response response;
        if (mode == "bare")
        {
            response = bare(request, context).GetAwaiter().GetResult();
        }
        else
        {
            var wrapper = new ChaosWrapper(new InMemorySettingsSource(mode == "armed" ? Armed : Disarmed), new ChaosOptions
            {
                LogWriter = TextWriter.Null,
                JsonTypeInfoResolver = FunctionJson.Default,
                Randomizer = static () => 0.25,
            });
            response = wrapper.Decorate(bare)(request, context).GetAwaiter().GetResult();
        }

        watch.Stop();
        var expected = mode == "armed" ? 503 : 200;
        if (response.StatusCode != expected)
        {
            Console.Error.WriteLine($"expected status {expected}, got {response.StatusCode}");
            return 1;
        }

        Console.WriteLine(watch.Elapsed.TotalMicroseconds.ToString("F0", CultureInfo.InvariantCulture));
        return 0;
    }
}

/// <summary>Shape of ILambdaContext's members the wrapper reads.</summary>
public sealed class Context
{
    public string AwsRequestId { get; set; } = "cold-start";

    public string FunctionName { get; set; } = "cold-start";

    public TimeSpan RemainingTime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Shape of APIGatewayHttpApiV2ProxyRequest (the part the condition reads).</summary>
public sealed class Request
{
    public string? RawPath { get; set; }
}

/// <summary>Shape of APIGatewayHttpApiV2ProxyResponse.</summary>
public sealed class Response
{
    public int StatusCode { get; set; }

    public IDictionary<string, string>? Headers { get; set; }

    public string? Body { get; set; }

    public bool IsBase64Encoded { get; set; }
}

/// <summary>The function's serializer context, as a Native AOT function has (and gives the wrapper).</summary>
[JsonSerializable(typeof(Request))]
[JsonSerializable(typeof(Response))]
[JsonSerializable(typeof(Dictionary<string, string>))]
public sealed partial class FunctionJson : JsonSerializerContext;
