using System.Globalization;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>rollback: always runs (end of the experiment, abort, or any error); restores the ledger and stops FIS.</summary>
internal sealed class RollbackStep(StepServices services)
{
    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var why = state.Error is not null ? $"after error {state.Error.Error}" : $"stop reason {state.StopReason ?? "none"}";
        var outcome = await Rollback.RunAsync(services, state.Execution.Name, ct).ConfigureAwait(false);
        state.Rollback = outcome;
        foreach (var parameter in outcome.Restored.Where(p => !state.Journal.Restored.Contains(p)))
        {
            state.Journal.Restored.Add(parameter);
        }

        if (state.Monitor?.AlarmSeenAt is { } seen)
        {
            state.Journal.AlarmToRollbackSeconds = Math.Round((outcome.FinishedAt - seen).TotalSeconds, 3);
        }

        services.Log(state, "rollback", string.Create(CultureInfo.InvariantCulture,
            $"rolled back ({why}): restored {outcome.Restored.Count} parameter(s), stopped {outcome.StoppedFisExperiments.Count} FIS experiment(s)"));
        return state;
    }
}
