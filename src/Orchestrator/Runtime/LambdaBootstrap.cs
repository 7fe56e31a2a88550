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

    /// <summary>The exit code after a step overran its deadline: Lambda starts a fresh process for the next invocation.</summary>
    public const int RecycledExitCode = 3;

    /// <summary>
    /// Runs until <paramref name="stop"/> is cancelled or the process must be recycled; returns the process exit code
    /// (0 stopped, 1 start-up failed, 2 not inside Lambda, <see cref="RecycledExitCode"/> recycled).
    /// </summary>
    /// <param name="environment">Reads an environment variable.</param>
    /// <param name="http">The client for the Runtime API.</param>
    /// <param name="time">The clock.</param>
    /// <param name="createBackends">Builds the backends (defaults to <see cref="BackendsFactory.Create"/>).</param>
    /// <param name="stop">Stops the loop.</param>
    /// <param name="setEnvironment">Sets an environment variable (<c>_X_AMZN_TRACE_ID</c>); defaults to the process environment.</param>
    /// <param name="log">The log (defaults to standard output).</param>
    public static async Task<int> RunAsync(
        Func<string, string?> environment,
        HttpClient http,
        TimeProvider time,
        Func<ControlPlaneOptions, TimeProvider, ControlPlaneBackends>? createBackends,
        CancellationToken stop,
        Action<string, string?>? setEnvironment = null,
        RuntimeLog? log = null)
    {
        log ??= RuntimeLog.Console;
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
            loop = new LambdaRuntimeLoop(http, api, (_, _) => Task.FromResult(""), time) { Log = log };
            await loop.ReportInitErrorAsync(e, stop).ConfigureAwait(false);
            return 1;
        }

        loop = new LambdaRuntimeLoop(http, api, handler, time) { Log = log, SetEnvironmentVariable = setEnvironment ?? Environment.SetEnvironmentVariable };
        return await loop.RunAsync(stop).ConfigureAwait(false) == RuntimeLoopExit.Recycle ? RecycledExitCode : 0;
    }
}
