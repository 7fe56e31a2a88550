using System.Text.Json;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>deadletter: sends the input, the error, the journal and what rollback did to the dead-letter queue.</summary>
internal sealed class DeadLetterStep(StepServices services)
{
    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        state.Journal.Verdict = Experiments.Verdicts.FailedName;
        if (state.Error is { } error)
        {
            state.Journal.Reasons.Add($"{error.Error}: {error.Cause}");
        }

        var message = new DeadLetterMessage
        {
            Execution = state.Execution,
            Input = state.Input,
            Error = state.Error,
            Journal = state.Journal,
            Rollback = state.Rollback,
            RollbackError = state.RollbackError,
        };

        if (state.Rollback?.Completed != true)
        {
            // Rollback did not finish: name what may still be armed, from the ledger if it can be read.
            try
            {
                var ledger = await services.ReadLedgerAsync(state.Execution.Name, ct).ConfigureAwait(false);
                // A SecureString's prior value stays in the (encrypted) ledger, never in the plain-text message.
                message.StillToRestore = (ledger?.Parameters ?? new List<LedgerEntry>())
                    .Select(e => e.Type == Backends.ParameterTypes.SecureString
                        ? new LedgerEntry { Parameter = e.Parameter, Existed = e.Existed, Type = e.Type, KeyId = e.KeyId, Tier = e.Tier, ArmedTier = e.ArmedTier }
                        : e)
                    .ToList();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                state.Journal.Reasons.Add($"the rollback ledger {services.LedgerName(state.Execution.Name)} could not be read: {e.Message}");
            }
        }

        services.Log(state, "deadletter", "sent to the dead-letter queue");
        state.DeadLetterMessageId = await services.Backends.DeadLetters.SendAsync(JsonSerializer.Serialize(message, OrchestratorJson.Default.DeadLetterMessage), ct).ConfigureAwait(false);
        return state;
    }
}
