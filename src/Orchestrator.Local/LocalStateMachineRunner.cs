using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Local;

/// <summary>How the local runner is set up.</summary>
public sealed class LocalStateMachineRunnerOptions
{
    /// <summary>The repository root (holding <c>infra/statemachine</c> and <c>node_modules</c>). Found from the current directory or the app's folder when not set.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>The ASL file. Defaults to <c>infra/statemachine/experiment.asl.json</c> in the repository.</summary>
    public string? DefinitionFile { get; init; }

    /// <summary>
    /// The folder holding the runner scripts (<c>run-state-machine.mjs</c>, <c>promise-with-resolvers.mjs</c>), from which
    /// Node finds <c>node_modules/aws-local-stepfunctions</c>. Defaults to <c>src/Orchestrator.Local/node</c> in the
    /// repository. With this and <see cref="DefinitionFile"/> set, no repository is needed (the installed tool).
    /// </summary>
    public string? ScriptFolder { get; init; }

    /// <summary>The Node executable. Defaults to <c>node</c> on the PATH.</summary>
    public string NodeExecutable { get; init; } = "node";

    /// <summary>Functions served besides the control functions (e.g. <c>sample-api</c>), by name.</summary>
    public IReadOnlyDictionary<string, LocalFunction>? ExtraFunctions { get; init; }

    /// <summary>The region in the fake ARNs. Defaults to us-east-1.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>The account in the fake ARNs. Defaults to 123456789012.</summary>
    public string AccountId { get; init; } = "123456789012";
}

/// <summary>One execution's options.</summary>
public sealed class LocalRunOptions
{
    /// <summary>The execution name (it names the rollback ledger). Defaults to a new unique name.</summary>
    public string? Name { get; init; }

    /// <summary>When set, every Wait state waits this long instead (tests: 0).</summary>
    public int? WaitMilliseconds { get; init; }

    /// <summary>When set, every Retry pauses this long instead (tests: 0).</summary>
    public int? RetryIntervalMilliseconds { get; init; }
}

/// <summary>One event of an execution: its type (StateEntered, StateRetried, StateCaught, ...) and state.</summary>
/// <param name="Type">The aws-local-stepfunctions event type.</param>
/// <param name="State">The state name, if the event concerns a state.</param>
public sealed record LocalExecutionEvent(string Type, string? State);

/// <summary>How an execution ended.</summary>
public sealed class LocalExecutionResult
{
    /// <summary>The execution name.</summary>
    public required string Name { get; init; }

    /// <summary>The execution ARN the control functions saw.</summary>
    public required string ExecutionArn { get; init; }

    /// <summary><c>SUCCEEDED</c> or <c>FAILED</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The output (the journal) when it succeeded.</summary>
    public JsonNode? Output { get; init; }

    /// <summary>The error name when it failed (e.g. <c>ExperimentFailed</c>).</summary>
    public string? Error { get; init; }

    /// <summary>The cause when it failed.</summary>
    public string? Cause { get; init; }

    /// <summary>The events, in order.</summary>
    public required IReadOnlyList<LocalExecutionEvent> Events { get; init; }

    /// <summary>The states entered, in order.</summary>
    public IReadOnlyList<string> StatesEntered => Events.Where(e => e.Type == "StateEntered").Select(e => e.State!).ToList();
}

/// <summary>
/// Runs the repository's state machine definition, unchanged but for its <c>${…FunctionArn}</c>
/// placeholders (replaced by fake ARNs whose function name is the handler name), in aws-local-stepfunctions.
/// Its Task states call the real control functions through a local Lambda Invoke endpoint. One Node
/// process serves every execution, so executions are cheap; several may run at once.
/// </summary>
public sealed class LocalStateMachineRunner : IAsyncDisposable
{
    private readonly Process node;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> pending = new();
    private readonly StringBuilder stderr = new();
    private readonly Task reading;
    private readonly string executionPrefix;

    private LocalStateMachineRunner(LocalLambdaInvokeEndpoint endpoint, Process node, string stateMachineArn, TaskCompletionSource ready)
    {
        Endpoint = endpoint;
        this.node = node;
        StateMachineArn = stateMachineArn;
        executionPrefix = stateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal);
        reading = Task.Run(() => ReadAsync(ready));
        node.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                if (e.Data is not null && stderr.Length < 16_000)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        node.BeginErrorReadLine();
    }

    /// <summary>The Lambda Invoke endpoint serving the control functions.</summary>
    public LocalLambdaInvokeEndpoint Endpoint { get; }

    /// <summary>The fake state machine ARN.</summary>
    public string StateMachineArn { get; }

    /// <summary>Starts the endpoint and the Node process.</summary>
    /// <exception cref="InvalidOperationException">The repository, Node or the Node tools cannot be found.</exception>
    public static Task<LocalStateMachineRunner> StartAsync(ControlFunctions controlFunctions, LocalStateMachineRunnerOptions? options = null, CancellationToken cancellationToken = default)
    {
        var functions = ControlFunctions.HandlerNames.ToDictionary(
            name => name,
            name => (LocalFunction)((payload, ct) => controlFunctions.InvokeAsync(name, payload, ct)));
        foreach (var (name, function) in options?.ExtraFunctions ?? new Dictionary<string, LocalFunction>())
        {
            functions[name] = function;
        }

        return StartAsync(functions, options, cancellationToken);
    }

    /// <summary>Starts the endpoint serving <paramref name="functions"/> by name (each handler name of the control functions must be there) and the Node process.</summary>
    /// <exception cref="InvalidOperationException">The repository, Node or the Node tools cannot be found.</exception>
    public static async Task<LocalStateMachineRunner> StartAsync(IReadOnlyDictionary<string, LocalFunction> functions, LocalStateMachineRunnerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalStateMachineRunnerOptions();
        var root = options.ScriptFolder is not null && options.DefinitionFile is not null ? options.ScriptFolder : FindRepositoryRoot(options.RepositoryRoot);
        var definition = options.DefinitionFile ?? Path.Combine(root, "infra", "statemachine", "experiment.asl.json");
        var scripts = options.ScriptFolder ?? Path.Combine(root, "src", "Orchestrator.Local", "node");
        var script = Path.Combine(scripts, "run-state-machine.mjs");
        var polyfill = Path.Combine(scripts, "promise-with-resolvers.mjs");
        var arnPrefix = $"arn:aws:lambda:{options.Region}:{options.AccountId}:function:";
        var substitutions = new JsonObject();
        foreach (Match m in Regex.Matches(await File.ReadAllTextAsync(definition, cancellationToken).ConfigureAwait(false), @"\$\{(\w+)FunctionArn\}"))
        {
            substitutions[m.Groups[1].Value + "FunctionArn"] = arnPrefix + m.Groups[1].Value.ToLowerInvariant();
        }

        var endpoint = await LocalLambdaInvokeEndpoint.StartAsync(functions).ConfigureAwait(false);
        var stateMachineArn = $"arn:aws:states:{options.Region}:{options.AccountId}:stateMachine:serverless-chaos-experiment";
        var start = new ProcessStartInfo(options.NodeExecutable)
        {
            ArgumentList = { "--import", new Uri(polyfill).AbsoluteUri, script, definition, substitutions.ToJsonString(), stateMachineArn },
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The JS SDK must only ever reach the local endpoint, with throwaway credentials.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["AWS_ENDPOINT_URL_LAMBDA"] = endpoint.Url.ToString().TrimEnd('/');
        start.Environment["AWS_ACCESS_KEY_ID"] = "local";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "local";
        start.Environment["AWS_REGION"] = options.Region;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            await endpoint.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"could not start {options.NodeExecutable} (Node.js 20 or later is needed): {e.Message}", e);
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runner = new LocalStateMachineRunner(endpoint, process, stateMachineArn, ready);
        var finished = await Task.WhenAny(ready.Task, Task.Delay(TimeSpan.FromSeconds(30), cancellationToken)).ConfigureAwait(false);
        if (finished != ready.Task || ready.Task.IsFaulted)
        {
            var why = runner.StandardError;
            await runner.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"the local state machine runner did not start: {why}");
        }

        return runner;
    }

    /// <summary>Runs one execution to its end.</summary>
    /// <param name="input">The execution input (an experiment).</param>
    /// <param name="options">Name and time overrides.</param>
    /// <param name="cancellationToken">Stops waiting (the execution itself runs on).</param>
    public async Task<LocalExecutionResult> RunAsync(JsonNode? input, LocalRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalRunOptions();
        var id = Guid.NewGuid().ToString("N");
        var name = options.Name ?? "local-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture) + "-" + id[..8];
        var request = new JsonObject
        {
            ["id"] = id,
            ["name"] = name,
            ["input"] = input?.DeepClone(),
            ["waitMilliseconds"] = options.WaitMilliseconds,
            ["retryMilliseconds"] = options.RetryIntervalMilliseconds,
        };
        var completion = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = completion;
        lock (node)
        {
            node.StandardInput.WriteLine(request.ToJsonString());
            node.StandardInput.Flush();
        }

        JsonObject reply;
        using (cancellationToken.Register(() => completion.TrySetCanceled(cancellationToken)))
        {
            reply = await completion.Task.ConfigureAwait(false);
        }

        var status = reply["status"]?.GetValue<string>() ?? "ERROR";
        if (status == "ERROR")
        {
            throw new InvalidOperationException($"the local runner could not run the execution: {reply["error"]}: {reply["cause"]}");
        }

        return new LocalExecutionResult
        {
            Name = name,
            ExecutionArn = $"{executionPrefix}:{name}",
            Status = status,
            Output = reply["output"]?.DeepClone(),
            Error = reply["error"]?.GetValue<string>(),
            Cause = reply["cause"]?.GetValue<string>(),
            Events = reply["events"]?.AsArray().Select(e => new LocalExecutionEvent(e!["type"]!.GetValue<string>(), e["state"]?.GetValue<string>())).ToList() ?? [],
        };
    }

    private string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    private async Task ReadAsync(TaskCompletionSource ready)
    {
        while (await node.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            JsonObject? message;
            try
            {
                message = JsonNode.Parse(line) as JsonObject;
            }
            catch (System.Text.Json.JsonException)
            {
                continue;
            }

            if (message?["ready"] is not null)
            {
                ready.TrySetResult();
            }
            else if (message?["id"]?.GetValue<string>() is { } id && pending.TryRemove(id, out var completion))
            {
                completion.TrySetResult(message);
            }
        }

        // Node ended: nothing pending will ever be answered.
        await node.WaitForExitAsync().ConfigureAwait(false);
        var error = new InvalidOperationException($"the Node process running the state machine exited ({node.ExitCode}): {StandardError}");
        ready.TrySetException(error);
        foreach (var id in pending.Keys)
        {
            if (pending.TryRemove(id, out var completion))
            {
                completion.TrySetException(error);
            }
        }
    }

    private static string FindRepositoryRoot(string? given)
    {
        bool IsRoot(string dir) =>
            File.Exists(Path.Combine(dir, "infra", "statemachine", "experiment.asl.json"))
            && Directory.Exists(Path.Combine(dir, "node_modules", "aws-local-stepfunctions"));
        var candidates = given is not null ? [given] : new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory };
        foreach (var start in candidates)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (IsRoot(dir.FullName))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"could not find the repository root (infra/statemachine/experiment.asl.json and node_modules/aws-local-stepfunctions) from {string.Join(" or ", candidates)}; run `npm ci` at the repository root");
    }

    /// <summary>Stops the Node process and the endpoint.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            node.StandardInput.Close();
            if (!node.WaitForExit(2000))
            {
                node.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        await reading.ConfigureAwait(false);
        node.Dispose();
        await Endpoint.DisposeAsync().ConfigureAwait(false);
    }
}
