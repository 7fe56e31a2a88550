using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// Every control function behind one entry point: the handler name (Lambda <c>_HANDLER</c>) chooses the
/// step, the payload is JSON in and JSON out. The Lambda runtime loop and the local Invoke endpoint both call this.
/// </summary>
public sealed class ControlFunctions
{
    /// <summary>The handler names, one per control function.</summary>
    public static readonly IReadOnlyList<string> HandlerNames =
        ["validate", "preflight", "arm", "start", "observe", "rollback", "verify", "report", "deadletter", "cleanup"];

    private readonly StepServices services;

    /// <summary>Creates the control functions over the given backends.</summary>
    public ControlFunctions(ControlPlaneBackends backends, ControlPlaneOptions options, TimeProvider time)
    {
        services = new StepServices(backends, options, time);
    }

    /// <summary>Runs one step.</summary>
    /// <param name="handler">The handler name, e.g. <c>arm</c>.</param>
    /// <param name="payload">The invocation payload (JSON).</param>
    /// <param name="cancellationToken">Cancelled when the invocation's deadline is near.</param>
    /// <returns>The step's output (JSON).</returns>
    /// <exception cref="ControlFunctionException">The step failed; <see cref="ErrorTypes.For"/> names every other exception.</exception>
    public async Task<string> InvokeAsync(string handler, string payload, CancellationToken cancellationToken)
    {
        if (handler == "cleanup")
        {
            var cleanup = await new CleanupStep(services).RunAsync(ParseNode(payload), cancellationToken).ConfigureAwait(false);
            return JsonSerializer.Serialize(cleanup, OrchestratorJson.Default.CleanupResult);
        }

        var state = ParseState(payload);
        state = handler switch
        {
            "validate" => await new ValidateStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "preflight" => await new PreflightStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "arm" => await new ArmStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "start" => await new StartStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "observe" => await new ObserveStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "rollback" => await new RollbackStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "verify" => await new VerifyStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "report" => await new ReportStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            "deadletter" => await new DeadLetterStep(services).RunAsync(state, cancellationToken).ConfigureAwait(false),
            _ => throw new ControlFunctionException(ErrorTypes.InvalidState,
                $"unknown handler \"{handler}\" (expected one of {string.Join(", ", HandlerNames)})"),
        };
        return JsonSerializer.Serialize(state, OrchestratorJson.Default.ExecutionState);
    }

    private static JsonNode? ParseNode(string payload)
    {
        try
        {
            return JsonNode.Parse(payload);
        }
        catch (JsonException e)
        {
            throw new ControlFunctionException(ErrorTypes.InvalidState, $"the payload is not valid JSON: {e.Message}", e);
        }
    }

    private static ExecutionState ParseState(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, OrchestratorJson.Default.ExecutionState)
                ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "the payload is null; expected the execution state object");
        }
        catch (JsonException e)
        {
            throw new ControlFunctionException(ErrorTypes.InvalidState, $"the payload is not an execution state ({e.Path}): {e.Message}", e);
        }
    }
}
