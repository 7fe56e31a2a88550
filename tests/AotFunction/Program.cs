using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.DynamoDBEvents;
using Amazon.Lambda.KinesisEvents;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.AotFunction;

/// <summary>
/// A decorated function as a user would write it for Native AOT: its own source-generated serializer context, given to
/// the wrapper as <see cref="ChaosOptions.JsonTypeInfoResolver"/>, and the Lambda Runtime API loop run by hand.
/// Settings come from the environment (<c>SERVERLESS_CHAOS_SETTINGS</c>); <c>AOT_FUNCTION_RANDOM</c> (comma-separated
/// numbers, then the last one forever) makes the wrapper's rolls the test's choice; with <c>AOT_FUNCTION_DEPENDENCY</c>
/// (a URL) the HTTP handlers call it through the wrapper's dependency handler, as a function calls its downstream API.
/// </summary>
public static class Program
{
    public static async Task<int> Main()
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") ?? throw new InvalidOperationException("AWS_LAMBDA_RUNTIME_API is not set");
        var handlerName = Environment.GetEnvironmentVariable("_HANDLER") ?? "";
        var options = new ChaosOptions { JsonTypeInfoResolver = FunctionJsonContext.Default };
        if (Environment.GetEnvironmentVariable("AOT_FUNCTION_RANDOM") is { Length: > 0 } random)
        {
            options.Randomizer = Sequence(random);
        }

        var wrapper = ChaosWrapper.FromEnvironment(options);
        ChaosWrapper.Shared = wrapper; // the one [ChaosInjection] handlers use
        Downstream = new HttpClient(wrapper.CreateDependencyHandler(new SocketsHttpHandler { UseProxy = false }));
        Wrapper = wrapper;
        using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
        Func<string, FunctionContext, Task<string>>? handler = handlerName switch
        {
            "http-v2" => Typed(wrapper, FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyRequest, FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyResponse, HttpV2),
            "rest-v1" => Typed(wrapper, FunctionJsonContext.Default.APIGatewayProxyRequest, FunctionJsonContext.Default.APIGatewayProxyResponse, RestV1),
            "alb" => Typed(wrapper, FunctionJsonContext.Default.ApplicationLoadBalancerRequest, FunctionJsonContext.Default.ApplicationLoadBalancerResponse, Alb),
            "sqs" => Typed(wrapper, FunctionJsonContext.Default.SQSEvent, FunctionJsonContext.Default.SQSBatchResponse, Sqs),
            "kinesis" => Typed(wrapper, FunctionJsonContext.Default.KinesisEvent, FunctionJsonContext.Default.StreamsEventResponse, Kinesis),
            "dynamodb" => Typed(wrapper, FunctionJsonContext.Default.DynamoDBEvent, FunctionJsonContext.Default.StreamsEventResponse, DynamoDb),
            "stream" => StreamHandler(wrapper),
            // A mistake a user can make: an event type missing from the context given to the wrapper.
            "unlisted" => Typed(wrapper, UnlistedJsonContext.Default.UnlistedRequest, FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyResponse, Unlisted),
            // Not decorated here: the [ChaosInjection] attribute wove the wrapper into the method at compile time.
            "attribute" => Undecorated(FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyRequest, FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyResponse, AttributeHandler.HandleAsync),
            _ => null,
        };
        if (handler is null)
        {
            using var initError = Json($$"""{"errorType":"UnknownHandler","errorMessage":"no handler named '{{handlerName}}'","stackTrace":[]}""");
            await http.PostAsync("init/error", initError).ConfigureAwait(false);
            return 1;
        }

        while (true)
        {
            using var next = await http.GetAsync("invocation/next").ConfigureAwait(false);
            var requestId = next.Headers.GetValues("Lambda-Runtime-Aws-Request-Id").Single();
            var deadlineMs = long.Parse(next.Headers.GetValues("Lambda-Runtime-Deadline-Ms").Single(), CultureInfo.InvariantCulture);
            var body = await next.Content.ReadAsStringAsync().ConfigureAwait(false);
            var context = new FunctionContext(requestId, DateTimeOffset.FromUnixTimeMilliseconds(deadlineMs));
            try
            {
                var result = await handler(body, context).ConfigureAwait(false);
                using var content = Json(result);
                await http.PostAsync($"invocation/{requestId}/response", content).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // Every handler failure is the invocation's error, as the Lambda runtime reports it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var error = new FunctionError(ex.GetType().Name, ex.Message, []);
                using var content = Json(JsonSerializer.Serialize(error, FunctionJsonContext.Default.FunctionError));
                content.Headers.Add("Lambda-Runtime-Function-Error-Type", "Unhandled");
                await http.PostAsync($"invocation/{requestId}/error", content).ConfigureAwait(false);
            }
        }
    }

    private static Func<string, FunctionContext, Task<string>> Typed<TEvent, TResult>(
        ChaosWrapper wrapper, JsonTypeInfo<TEvent> eventInfo, JsonTypeInfo<TResult> resultInfo, Func<TEvent, FunctionContext, Task<TResult>> handler)
    {
        var decorated = wrapper.Decorate(handler);
        return async (body, context) =>
        {
            var input = JsonSerializer.Deserialize(body, eventInfo)!;
            var result = await decorated(input, context).ConfigureAwait(false);
            return JsonSerializer.Serialize(result, resultInfo);
        };
    }

    private static Func<string, FunctionContext, Task<string>> Undecorated<TEvent, TResult>(
        JsonTypeInfo<TEvent> eventInfo, JsonTypeInfo<TResult> resultInfo, Func<TEvent, FunctionContext, Task<TResult>> handler) =>
        async (body, context) => JsonSerializer.Serialize(await handler(JsonSerializer.Deserialize(body, eventInfo)!, context).ConfigureAwait(false), resultInfo);

    private static Func<string, FunctionContext, Task<string>> StreamHandler(ChaosWrapper wrapper)
    {
        var decorated = wrapper.DecorateStream<FunctionContext>(async (input, context) =>
        {
            using var document = await JsonDocument.ParseAsync(input).ConfigureAwait(false);
            if (document.RootElement.TryGetProperty("Records", out var records))
            {
                Console.WriteLine("handler saw: " + string.Join(",", records.EnumerateArray().Select(r => r.GetProperty("messageId").GetString())));
            }

            return new MemoryStream(Encoding.UTF8.GetBytes("""{"statusCode":200,"headers":{},"body":"handled stream"}"""));
        });
        return async (body, context) =>
        {
            using var result = await decorated(new MemoryStream(Encoding.UTF8.GetBytes(body)), context).ConfigureAwait(false);
            return Encoding.UTF8.GetString(((MemoryStream)result).ToArray());
        };
    }

    internal static ChaosWrapper Wrapper { get; private set; } = null!;

    private static HttpClient Downstream { get; set; } = null!;

    /// <summary>
    /// What the handler saw, in its body: the function's clock (<see cref="ChaosWrapper.Time"/>, which clockSkew shifts),
    /// the disk-fill files in the temp folder, and the outcome of the downstream call when one is configured.
    /// </summary>
    internal static async Task<string> Observed()
    {
        var fills = Directory.GetFiles(Path.GetTempPath(), "serverless-chaos-fill-*");
        var report = $"time={Wrapper.Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)};fills={fills.Length}:{fills.Sum(f => new FileInfo(f).Length)}";
        if (Environment.GetEnvironmentVariable("AOT_FUNCTION_DEPENDENCY") is { Length: > 0 } url)
        {
            try
            {
                using var response = await Downstream.GetAsync(new Uri(url)).ConfigureAwait(false);
                var injected = response.Headers.TryGetValues("X-Chaos-Injected", out var values) ? string.Join(",", values) : "";
                report += $";dependency={(int)response.StatusCode} {injected}".TrimEnd();
            }
#pragma warning disable CA1031 // The handler reports the failure, as a function's own error handling would.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                report += $";dependency={ex.GetType().Name}";
            }
        }

        return report;
    }

    private static async Task<APIGatewayHttpApiV2ProxyResponse> HttpV2(APIGatewayHttpApiV2ProxyRequest request, FunctionContext context) =>
        new() { StatusCode = 200, Headers = new Dictionary<string, string>(), Body = $"handled {request.RequestContext.Http.Method};{await Observed().ConfigureAwait(false)}" };

    private static Task<APIGatewayProxyResponse> RestV1(APIGatewayProxyRequest request, FunctionContext context) =>
        Task.FromResult(new APIGatewayProxyResponse { StatusCode = 200, Body = $"handled {request.RequestContext.HttpMethod}" });

    private static Task<ApplicationLoadBalancerResponse> Alb(ApplicationLoadBalancerRequest request, FunctionContext context) =>
        Task.FromResult(new ApplicationLoadBalancerResponse { StatusCode = 200, StatusDescription = "200 OK", Body = $"handled {request.RequestContext.Elb.TargetGroupArn}" });

    private static Task<SQSBatchResponse> Sqs(SQSEvent batch, FunctionContext context)
    {
        // The test reads which messages the handler saw from this line.
        Console.WriteLine("handler saw: " + string.Join(",", batch.Records.Select(r => r.MessageId)));
        return Task.FromResult(new SQSBatchResponse());
    }

    private static Task<APIGatewayHttpApiV2ProxyResponse> Unlisted(UnlistedRequest request, FunctionContext context) =>
        Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = $"handled {request.RequestContext.Http.Method}" });

    private static Task<StreamsEventResponse> Kinesis(KinesisEvent batch, FunctionContext context)
    {
        Console.WriteLine("handler saw: " + string.Join(",", batch.Records.Select(r => r.Kinesis.SequenceNumber + "=" + Encoding.UTF8.GetString(r.Kinesis.Data.ToArray()))));
        return Task.FromResult(new StreamsEventResponse { BatchItemFailures = [] });
    }

    private static Task<StreamsEventResponse> DynamoDb(DynamoDBEvent batch, FunctionContext context)
    {
        Console.WriteLine("handler saw: " + string.Join(",", batch.Records.Select(r => r.Dynamodb.SequenceNumber + "=" + r.Dynamodb.Keys["id"].S)));
        return Task.FromResult(new StreamsEventResponse { BatchItemFailures = [] });
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static Func<double> Sequence(string values)
    {
        var numbers = values.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var next = 0;
        return () => numbers[Math.Min(next++, numbers.Length - 1)];
    }
}

/// <summary>A handler decorated the way the README's quick start does it: the attribute, woven at compile time.</summary>
public static class AttributeHandler
{
    [ChaosInjection]
    public static async Task<APIGatewayHttpApiV2ProxyResponse> HandleAsync(APIGatewayHttpApiV2ProxyRequest request, FunctionContext context) =>
        new() { StatusCode = 200, Headers = new Dictionary<string, string>(), Body = $"handled by the attributed handler {request.RequestContext.Http.Method};{await Program.Observed().ConfigureAwait(false)}" };
}

/// <summary>Kinesis <c>data</c> as base64, as Lambda's serializers read and write <see cref="MemoryStream"/>.</summary>
public sealed class Base64MemoryStreamConverter : JsonConverter<MemoryStream>
{
    public override MemoryStream? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : new MemoryStream(reader.GetBytesFromBase64());

    public override void Write(Utf8JsonWriter writer, MemoryStream value, JsonSerializerOptions options) =>
        writer.WriteBase64StringValue(value.ToArray());
}

/// <summary>The Lambda context members the wrapper reads, by their <c>ILambdaContext</c> names.</summary>
public sealed class FunctionContext(string awsRequestId, DateTimeOffset deadline)
{
    public string AwsRequestId { get; } = awsRequestId;

    public string FunctionName { get; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "aot-function";

    public TimeSpan RemainingTime => deadline - DateTimeOffset.UtcNow;
}

/// <summary>The Runtime API's error document.</summary>
public sealed record FunctionError(string ErrorType, string ErrorMessage, string[] StackTrace);

/// <summary>The function's serializer metadata: the one description of its types Native AOT keeps.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, Converters = [typeof(Base64MemoryStreamConverter)])]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
[JsonSerializable(typeof(APIGatewayProxyRequest))]
// Both request types nest a class named ProxyRequestContext (as the real ones do): each gets its own name here.
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest.ProxyRequestContext), TypeInfoPropertyName = "HttpApiV2ProxyRequestContext")]
[JsonSerializable(typeof(APIGatewayProxyRequest.ProxyRequestContext), TypeInfoPropertyName = "RestApiProxyRequestContext")]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
[JsonSerializable(typeof(ApplicationLoadBalancerRequest))]
[JsonSerializable(typeof(ApplicationLoadBalancerResponse))]
[JsonSerializable(typeof(SQSEvent))]
[JsonSerializable(typeof(SQSBatchResponse))]
[JsonSerializable(typeof(KinesisEvent))]
[JsonSerializable(typeof(DynamoDBEvent))]
[JsonSerializable(typeof(StreamsEventResponse))]
// SQSBatchResponse and StreamsEventResponse both nest a class named BatchItemFailure (as the real ones do).
[JsonSerializable(typeof(SQSBatchResponse.BatchItemFailure), TypeInfoPropertyName = "SqsBatchItemFailure")]
[JsonSerializable(typeof(StreamsEventResponse.BatchItemFailure), TypeInfoPropertyName = "StreamsBatchItemFailure")]
[JsonSerializable(typeof(FunctionError))]
public sealed partial class FunctionJsonContext : JsonSerializerContext;

/// <summary>An event type of the function's own that it did not list in the context it gave the wrapper.</summary>
public sealed class UnlistedRequest
{
    public UnlistedContext RequestContext { get; set; } = null!;

    public sealed class UnlistedContext
    {
        public APIGatewayHttpApiV2ProxyRequest.HttpDescription Http { get; set; } = null!;
    }
}

/// <summary>The function's serializer for <see cref="UnlistedRequest"/>, not given to the wrapper.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(UnlistedRequest))]
public sealed partial class UnlistedJsonContext : JsonSerializerContext;
