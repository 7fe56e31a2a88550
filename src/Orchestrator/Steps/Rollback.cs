using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// Restores what an execution's ledger recorded and stops its FIS experiments. Idempotent: restoring a
/// prior value twice is harmless, and the ledger is deleted only once everything is back.
/// </summary>
internal static class Rollback
{
    private static readonly HashSet<string> Active = ["pending", "initiating", "running"];

    public static async Task<RollbackOutcome> RunAsync(StepServices services, string executionName, CancellationToken ct)
    {
        var outcome = new RollbackOutcome();
        if (string.IsNullOrEmpty(executionName))
        {
            outcome.Completed = true;
            outcome.FinishedAt = services.Now;
            return outcome;
        }

        var ledger = await services.ReadLedgerAsync(executionName, ct).ConfigureAwait(false);
        if (ledger is null)
        {
            // No ledger: nothing was armed, or an earlier rollback finished and deleted it.
            outcome.Completed = true;
            outcome.FinishedAt = services.Now;
            return outcome;
        }

        // Whether any failure may pass on a retry; when none can, the error says so and the state machine does not retry.
        var retryable = false;
        foreach (var entry in ledger.Parameters)
        {
            try
            {
                await LedgerRestore.RestoreAsync(services.Backends.Parameters, entry, ct).ConfigureAwait(false);
                outcome.Restored.Add(entry.Parameter);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                outcome.Problems.Add($"restoring {entry.Parameter}: {e.Message}");
                retryable |= IsTransient(e);
            }
        }

        // The ledger lists what start recorded; the execution tag also finds one started when the ledger write failed.
        var experiments = ledger.FisExperiments.Select(r => r.ExperimentId).ToList();
        try
        {
            experiments.AddRange(await services.Backends.Fis.FindExperimentsByTagAsync(ChaosConventions.ExecutionTagKey, executionName, ct).ConfigureAwait(false));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            retryable |= IsTransient(e);
            outcome.Problems.Add($"finding FIS experiments tagged {ChaosConventions.ExecutionTagKey}={executionName}: {e.Message}");
        }

        foreach (var experimentId in experiments.Distinct())
        {
            try
            {
                var status = await services.Backends.Fis.GetExperimentAsync(experimentId, ct).ConfigureAwait(false);
                if (Active.Contains(status.State))
                {
                    await services.Backends.Fis.StopExperimentAsync(experimentId, ct).ConfigureAwait(false);
                    outcome.StoppedFisExperiments.Add(experimentId);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                retryable |= IsTransient(e);
                outcome.Problems.Add($"stopping FIS experiment {experimentId}: {e.Message}");
            }
        }

        if (outcome.Problems.Count > 0)
        {
            throw new ControlFunctionException(
                retryable ? ErrorTypes.RollbackIncomplete : ErrorTypes.RollbackRefused,
                $"rollback of {executionName} is incomplete: {string.Join("; ", outcome.Problems)}");
        }

        await services.Ledgers.DeleteAsync(executionName, ct).ConfigureAwait(false);
        outcome.Completed = true;
        outcome.FinishedAt = services.Now;
        return outcome;
    }

    private static bool IsTransient(Exception e) => e is not BackendException { IsTransient: false } && e is not ControlFunctionException;
}
