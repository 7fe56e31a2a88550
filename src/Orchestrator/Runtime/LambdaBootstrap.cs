using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Runtime;

/// <summary>
/// What the <c>bootstrap</c> executable does: read <c>AWS_LAMBDA_RUNTIME_API</c> and <c>_HANDLER</c>, build the
/// control functions (or the sample target, <c>sample-api</c>), and serve the chosen one; a start-up failure is posted
/// to <c>/runtime/init/error</c>.
/// </summary>
public static class LambdaBootstrap
{
    /// <summary>Every handler name the bootstrap serves: the control functions' steps, then the sample target.</summary>
    public static IReadOnlyList<string> HandlerNames { get; } = [.. ControlFunctions.HandlerNames, SampleApiHost.HandlerName];

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns the process exit code.</summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="http">The client for the Runtime API.</param>
    /// <param name="time">The clock.</param>
    /// <param name="createBackends">Builds the backends (defaults to <see cref="BackendsFactory.Create"/>).</param>
    /// <param name="stop">Stops the loop.</param>
    public static async Task<int> RunAsync(
        Func<string, string?> environment,
        HttpClient http,
        TimeProvider time,
        Func<ControlPlaneOptions, TimeProvider, ControlPlaneBackends>? createBackends,
        CancellationToken stop)
    {
        var api = environment("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(api))
        {
            await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this executable runs inside AWS Lambda (provided.al2023) or a local Runtime API.").ConfigureAwait(false);
            return 2;
        }

        var handlerName = environment("_HANDLER") ?? "";
        LambdaHandler handler;
        LambdaRuntimeLoop loop;
        try
        {
            if (!HandlerNames.Contains(handlerName))
            {
                throw new ControlFunctionException("Runtime.InvalidHandler",
                    $"_HANDLER must be one of {string.Join(", ", HandlerNames)} (was \"{handlerName}\")");
            }

            if (handlerName == SampleApiHost.HandlerName)
            {
                handler = SampleApiHost.Create(environment, time);
            }
            else
            {
                var options = ControlPlaneOptions.FromEnvironment(environment);
                var functions = new ControlFunctions((createBackends ?? BackendsFactory.Create)(options, time), options, time);
                handler = (payload, context) => functions.InvokeAsync(handlerName, payload, context.CancellationToken);
            }
        }
        catch (Exception e)
        {
            loop = new LambdaRuntimeLoop(http, api, (_, _) => Task.FromResult(""), time);
            await loop.ReportInitErrorAsync(e, stop).ConfigureAwait(false);
            await Console.Error.WriteLineAsync($"start-up failed: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        loop = new LambdaRuntimeLoop(http, api, handler, time);
        try
        {
            await loop.RunAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop.
        }

        return 0;
    }
}
