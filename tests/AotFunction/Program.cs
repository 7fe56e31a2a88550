using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.AotFunction;

/// <summary>
/// A decorated function as a user would write it for Native AOT: its own source-generated serializer context, given to
/// the wrapper as <see cref="ChaosOptions.JsonTypeInfoResolver"/>, and the Lambda Runtime API loop run by hand.
/// Settings come from the environment (<c>SERVERLESS_CHAOS_SETTINGS</c>); <c>AOT_FUNCTION_RANDOM</c> (comma-separated
/// numbers, then the last one forever) makes the wrapper's rolls the test's choice.
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
        using var http = new HttpClient { BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/"), Timeout = Timeout.InfiniteTimeSpan };
        Func<string, FunctionContext, Task<string>>? handler = handlerName switch
        {
            "http-v2" => Typed(wrapper, FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyRequest, FunctionJsonContext.Default.APIGatewayHttpApiV2ProxyResponse, HttpV2),
            "rest-v1" => Typed(wrapper, FunctionJsonContext.Default.APIGatewayProxyRequest, FunctionJsonContext.Default.APIGatewayProxyResponse, RestV1),
            "alb" => Typed(wrapper, FunctionJsonContext.Default.ApplicationLoadBalancerRequest, FunctionJsonContext.Default.ApplicationLoadBalancerResponse, Alb),
            "sqs" => Typed(wrapper, FunctionJsonContext.Default.SQSEvent, FunctionJsonContext.Default.SQSBatchResponse, Sqs),
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

    private static Task<APIGatewayHttpApiV2ProxyResponse> HttpV2(APIGatewayHttpApiV2ProxyRequest request, FunctionContext context) =>
        Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = $"handled {request.RequestContext.Http.Method}" });

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

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static Func<double> Sequence(string values)
    {
        var numbers = values.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var next = 0;
        return () => numbers[Math.Min(next++, numbers.Length - 1)];
    }
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
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
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
[JsonSerializable(typeof(FunctionError))]
public sealed partial class FunctionJsonContext : JsonSerializerContext;
