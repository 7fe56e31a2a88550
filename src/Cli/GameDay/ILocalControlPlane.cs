using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Orchestrator.Backends.Local;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>How a state machine execution ended.</summary>
/// <param name="Status">Step Functions' status: <c>SUCCEEDED</c>, <c>FAILED</c>, <c>TIMED_OUT</c>, <c>ABORTED</c>.</param>
/// <param name="Output">The execution's output (the state with its journal), when it succeeded.</param>
/// <param name="Error">The error name, when it failed.</param>
/// <param name="Cause">The error cause, when it failed.</param>
internal sealed record ExecutionOutcome(string Status, JsonNode? Output, string? Error = null, string? Cause = null);

/// <summary>
/// The experiment side of a local game day: the orchestrator's embedded backends (parameter store, alarms,
/// FIS engine, dead-letter file) and its local runner of the repository's state machine.
/// </summary>
internal interface ILocalControlPlane : IAsyncDisposable
{
    /// <summary>Raised when a parameter is written (value) or deleted (null), for the timeline.</summary>
    event Action<string, string?>? ParameterChanged;

    /// <summary>The name of the global halt parameter the wrapper reads.</summary>
    string HaltParameter { get; }

    /// <summary>The parameter store served over the SSM protocol on 127.0.0.1 (a service's <c>AWS_ENDPOINT_URL_SSM</c>), or null when it is not served.</summary>
    Uri? SsmEndpoint => null;

    /// <summary>Raised for every parameter a read over <see cref="SsmEndpoint"/> answered: its name and the value read (null: it did not exist). Never raised when SSM is not served.</summary>
    event Action<string, string?>? ParameterReadOverSsm
    {
        add { }
        remove { }
    }

    /// <summary>A parameter's value in the local parameter store, or null when it does not exist.</summary>
    Task<string?> GetParameterAsync(string name, CancellationToken cancellationToken);

    /// <summary>Publishes an alarm's state (and how it is evaluated) to the local alarm backend.</summary>
    Task SetAlarmAsync(AlarmDefinition alarm, AlarmState state, string reason, CancellationToken cancellationToken);

    /// <summary>Adds (or replaces) a template in the local FIS engine, for a target the game day runs itself (the local ECS-style service).</summary>
    void AddFisTemplate(LocalFisTemplate template);

    /// <summary>The local FIS engine's actions in effect now, with the experiment that runs each.</summary>
    IReadOnlyList<(string ExperimentId, LocalFisAction Action)> ActiveFisActions();

    /// <summary>The dead-letter messages sent so far (each the body the deadletter step wrote), oldest first.</summary>
    IReadOnlyList<JsonNode> DeadLetters();

    /// <summary>Runs the state machine with <paramref name="experimentJson"/> as input until it ends.</summary>
    /// <param name="experimentJson">The experiment document.</param>
    /// <param name="stepInvoked">Told the handler name of every control function the state machine invokes.</param>
    /// <param name="cancellationToken">Stops the execution.</param>
    Task<ExecutionOutcome> RunAsync(string experimentJson, Action<string> stepInvoked, CancellationToken cancellationToken);

    /// <summary>
    /// After an interrupt: stops the state machine (no step runs after this returns) and rolls back what the
    /// execution armed, from its ledger, as the cleanup function does for an execution stopped from the console.
    /// </summary>
    /// <returns>What was done, in a line: what was restored, or what is still armed and how to clear it.</returns>
    Task<string> StopAndRollBackAsync(CancellationToken cancellationToken);
}
