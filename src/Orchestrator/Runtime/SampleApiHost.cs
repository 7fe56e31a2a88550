using System.Globalization;
using ServerlessChaos.Samples.SampleApi;
using ServerlessChaos.Wrapper;
using SampleLambdaContext = ServerlessChaos.Samples.SampleApi.LambdaContext;

namespace ServerlessChaos.Orchestrator.Runtime;

/// <summary>
/// The <c>sample-api</c> handler of the bootstrap: the sample target's function, decorated by the chaos wrapper built
/// from the environment, served as JSON in and JSON out.
/// </summary>
public static class SampleApiHost
{
    /// <summary>The handler name (<c>_HANDLER</c>) that selects the sample target.</summary>
    public const string HandlerName = "sample-api";

    /// <summary>
    /// Builds the handler. The wrapper comes from its own environment factory (<c>SERVERLESS_CHAOS_PARAMETER</c>
    /// opts in; settings read from SSM), reading the same <paramref name="environment"/>; the inventory address comes from
    /// <see cref="SampleApiFunction.InventoryUrlVariable"/> (unset: the built-in inventory).
    /// </summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="time">The clock (the wrapper's and the invocation deadlines').</param>
    /// <exception cref="ArgumentException">The inventory address is not an http(s) URL.</exception>
    public static LambdaHandler Create(Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var functionName = environment("AWS_LAMBDA_FUNCTION_NAME");
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { TimeProvider = time, FunctionName = functionName, JsonTypeInfoResolver = SampleApiJsonContext.Default }, environment);

        // Lives as long as the process, like any Lambda handler's clients.
        var function = SampleApiFunction.Create(wrapper, environment(SampleApiFunction.InventoryUrlVariable));
        var version = environment("AWS_LAMBDA_FUNCTION_VERSION") is { Length: > 0 } v ? v : "$LATEST";
        var memory = int.TryParse(environment("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"), NumberStyles.None, CultureInfo.InvariantCulture, out var mb) ? mb : 512;
        var logGroup = environment("AWS_LAMBDA_LOG_GROUP_NAME");
        var logStream = environment("AWS_LAMBDA_LOG_STREAM_NAME");
        return (payload, context) => function.InvokeJsonAsync(payload, new SampleLambdaContext(
            context.AwsRequestId, functionName ?? NameFromArn(context.InvokedFunctionArn), context.Deadline, time)
        {
            InvokedFunctionArn = context.InvokedFunctionArn,
            FunctionVersion = version,
            MemoryLimitInMB = memory,
            LogGroupName = logGroup,
            LogStreamName = logStream,
        });
    }

    // arn:aws:lambda:region:account:function:name[:qualifier]
    private static string NameFromArn(string? arn) =>
        arn?.Split(':') is { Length: >= 7 } parts ? parts[6] : "";
}
