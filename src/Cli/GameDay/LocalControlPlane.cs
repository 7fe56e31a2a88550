using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Orchestrator;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Local;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>
/// The orchestrator's embedded local backends and its local state machine runner, as the game day uses them: the
/// game day's alarm monitor sets the alarm states, the sample API's wrapper reads the parameter store in-process,
/// a service of the user's reads it over the SSM protocol on 127.0.0.1 (<see cref="LocalSsmEndpoint"/>), and every
/// control function invocation is reported so the live view can follow the phases.
/// </summary>
internal sealed class LocalControlPlane : ILocalControlPlane
{
    private readonly LocalBackends backends;
    private readonly string stateFolder;
    private readonly string reportDirectory;
    private readonly HttpClient probeClient;
    private LocalSsmEndpoint? ssm;
    private readonly HashSet<string> definedAlarms = [];
    private readonly Lock gate = new();
    private Task<LocalStateMachineRunner>? runner;
    private Action<string>? stepInvoked;
    private ControlFunctions? controlFunctions;
    private string? executionName;
    private string? executionArn;
    private int stopped;

    private LocalControlPlane(LocalBackends backends, string stateFolder, string reportDirectory, HttpClient probeClient)
    {
        this.backends = backends;
        this.stateFolder = stateFolder;
        this.reportDirectory = reportDirectory;
        this.probeClient = probeClient;
        backends.Parameters.Changed += (name, value) => ParameterChanged?.Invoke(name, value);
    }

    /// <inheritdoc />
    public event Action<string, string?>? ParameterChanged;

    /// <inheritdoc />
    public string HaltParameter => ChaosConventions.HaltParameter;

    /// <inheritdoc />
    public Uri? SsmEndpoint => ssm?.Url;

    /// <inheritdoc />
    public event Action<string, string?>? ParameterReadOverSsm;

    /// <summary>
    /// Starts the backends (state in a fresh temporary folder) and the SSM endpoint now, and the Lambda Invoke endpoint
    /// and the Node runner in the background.
    /// </summary>
    public static async Task<ILocalControlPlane> StartAsync(GameDayOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var stateFolder = Path.Combine(Path.GetTempPath(), "serverless-chaos-gameday-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(stateFolder);
        var probeClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var backends = new LocalBackends(stateFolder, TimeProvider.System, probeClient);
        var self = new LocalControlPlane(backends, stateFolder, options.ReportDirectory, probeClient);
        var controlFunctions = new ControlFunctions(
            backends.ToControlPlaneBackends(),
            new ControlPlaneOptions { Backend = "local", LocalStateFolder = stateFolder },
            TimeProvider.System);
        self.controlFunctions = controlFunctions;
        var functions = ControlFunctions.HandlerNames.ToDictionary(
            name => name,
            name => (LocalFunction)((payload, ct) =>
            {
                self.stepInvoked?.Invoke(name);
                return controlFunctions.InvokeAsync(name, payload, ct);
            }));
        try
        {
            self.ssm = await LocalSsmEndpoint.StartAsync(backends.Parameters, options.SsmPort, TimeProvider.System, cancellationToken: cancellationToken).ConfigureAwait(false);
            self.ssm.ParameterRead += (name, value) => self.ParameterReadOverSsm?.Invoke(name, value);
        }
        catch (IOException ex)
        {
            await self.DisposeAsync().ConfigureAwait(false);
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"cannot serve the parameter store over SSM on 127.0.0.1:{options.SsmPort}: {ex.Message}"));
        }

        // Node takes a few seconds to start: it starts in the background while the sample API takes its baseline load.
        self.runner = StartRunnerAsync(functions, options.Assets.RunnerOptions(), cancellationToken);
        return self;
    }

    private static async Task<LocalStateMachineRunner> StartRunnerAsync(Dictionary<string, LocalFunction> functions, LocalStateMachineRunnerOptions runnerOptions, CancellationToken cancellationToken)
    {
        try
        {
            return await LocalStateMachineRunner.StartAsync(functions, runnerOptions, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            throw new CliException($"cannot start the local state machine: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public async Task<string?> GetParameterAsync(string name, CancellationToken cancellationToken) => (await backends.Parameters.GetAsync(name, cancellationToken).ConfigureAwait(false))?.Value;

    /// <inheritdoc />
    public IReadOnlyList<JsonNode> DeadLetters() => backends.DeadLetters.ReadAll();

    /// <inheritdoc />
    public void AddFisTemplate(LocalFisTemplate template) => backends.Fis.AddTemplate(template);

    /// <inheritdoc />
    public IReadOnlyList<(string ExperimentId, LocalFisAction Action)> ActiveFisActions() => backends.Fis.ActiveActionsByExperiment();

    /// <inheritdoc />
    public Task SetAlarmAsync(AlarmDefinition alarm, AlarmState state, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        lock (gate)
        {
            if (definedAlarms.Add(alarm.Name))
            {
                backends.Alarms.Define(alarm.Name, (int)Math.Ceiling(alarm.Period.TotalSeconds), alarm.EvaluationPeriods, alarm.DatapointsToAlarm, state.ToWire());
            }
            else
            {
                backends.Alarms.SetState(alarm.Name, state.ToWire(), TimeProvider.System.GetUtcNow());
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ExecutionOutcome> RunAsync(string experimentJson, Action<string> stepInvoked, CancellationToken cancellationToken)
    {
        var input = JsonNode.Parse(experimentJson);
        var name = (input?["name"]?.GetValue<string>() ?? "gameday") + "-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        this.stepInvoked = stepInvoked;
        executionName = name;
        var started = await runner!.ConfigureAwait(false);
        executionArn = started.StateMachineArn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name;
        var result = await started.RunAsync(input, new LocalRunOptions { Name = name }, cancellationToken).ConfigureAwait(false);
        return new ExecutionOutcome(result.Status, result.Output, result.Error, result.Cause);
    }

    /// <inheritdoc />
    public async Task<string> StopAndRollBackAsync(CancellationToken cancellationToken)
    {
        await StopRunnerAsync().ConfigureAwait(false);
        if (executionName is null || executionArn is null || controlFunctions is null)
        {
            return "the state machine had not started: nothing was armed";
        }

        var ended = new JsonObject { ["detail"] = new JsonObject { ["executionArn"] = executionArn, ["name"] = executionName, ["status"] = "ABORTED" } };
        try
        {
            var reply = JsonNode.Parse(await controlFunctions.InvokeAsync("cleanup", ended.ToJsonString(), cancellationToken).ConfigureAwait(false));
            if (reply?["ledgerFound"]?.GetValue<bool>() != true)
            {
                return "rollback: nothing to roll back (the execution had armed nothing yet)";
            }

            var restored = (reply["rollback"]?["restored"] as JsonArray)?.Select(n => n?.GetValue<string>()).ToList() ?? [];
            var stoppedFis = (reply["rollback"]?["stoppedFisExperiments"] as JsonArray)?.Count ?? 0;
            return string.Create(CultureInfo.InvariantCulture, $"rollback done after the interrupt: restored {(restored.Count == 0 ? "nothing (already at baseline)" : string.Join(", ", restored))}, stopped {stoppedFis} FIS experiment(s)");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var armed = backends.Parameters.Snapshot().Where(p => p.Key != HaltParameter && Wrapper.Settings.ChaosSettings.Parse(p.Value).Settings?.IsArmedAt(TimeProvider.System.GetUtcNow()) == true).Select(p => p.Key).ToList();
            return $"rollback did not finish ({ex.Message}); still armed: {(armed.Count == 0 ? "nothing" : string.Join(", ", armed))}. They are in this run's own parameter store, which ends with it; a wrapper that cached them stops at their expiresAt, or at once after `chaos halt` on the parameters it reads";
        }
    }

    private async Task StopRunnerAsync()
    {
        if (runner is null || Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }

        try
        {
            // Ends Node and waits for the control function invocations in flight: none runs after this.
            await (await runner.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is CliException or OperationCanceledException or InvalidOperationException)
        {
            // It never started, or already ended: nothing runs.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopRunnerAsync().ConfigureAwait(false);
        if (ssm is not null)
        {
            await ssm.DisposeAsync().ConfigureAwait(false);
        }

        probeClient.Dispose();
        try
        {
            // Dead letters are worth keeping with the report; the rest of the state was for this run only.
            var deadLetters = Path.Combine(stateFolder, "dead-letters.jsonl");
            if (File.Exists(deadLetters) && Directory.Exists(reportDirectory))
            {
                File.Copy(deadLetters, Path.Combine(reportDirectory, "dead-letters.jsonl"), overwrite: true);
            }

            Directory.Delete(stateFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not worth failing the game day for.
        }
    }
}
