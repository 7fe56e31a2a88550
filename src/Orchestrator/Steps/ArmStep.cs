using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// arm: records every target's prior value in the rollback ledger first, then writes the wrapper
/// settings with <c>expiresAt</c> and <c>experimentId</c>. A retry finds the ledger and does not
/// record the armed values as "prior".
/// </summary>
internal sealed class ArmStep(StepServices services)
{
    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var experiment = state.Experiment ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "experiment is missing: validate must run first");
        var targets = experiment.Faults.Where(f => f.Wrapper is not null).Select(f => f.Wrapper!).ToList();
        var now = services.Now;
        var plan = state.Plan ?? new ExperimentPlan();
        plan.StartedAt = now;
        plan.EndsAt = now.AddSeconds(experiment.DurationSeconds);
        plan.ExpiresAt = plan.EndsAt.AddSeconds(experiment.Hypothesis.RecoveryWindowSeconds).Add(services.Options.ExpiryMargin);
        state.Plan = plan;

        var ledger = await services.ReadLedgerAsync(state.Execution.Name, ct).ConfigureAwait(false);
        if (ledger is null)
        {
            ledger = new RollbackLedger { ExecutionId = state.Execution.Id, Experiment = experiment.Name, RecordedAt = now };
            if (!experiment.DryRun)
            {
                foreach (var target in targets)
                {
                    var prior = await services.Backends.Parameters.GetAsync(target.Parameter, ct).ConfigureAwait(false);
                    ledger.Parameters.Add(new LedgerEntry { Parameter = target.Parameter, Existed = prior is not null, PriorValue = prior });
                }
            }

            await services.WriteLedgerAsync(state.Execution.Name, ledger, ct).ConfigureAwait(false);
            services.Log(state, "arm", $"rollback ledger recorded for {ledger.Parameters.Count} parameter(s)");
        }

        var expiresAt = plan.ExpiresAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        foreach (var target in targets)
        {
            if (experiment.DryRun)
            {
                services.Log(state, "arm", $"dry run: would arm {target.Parameter} until {expiresAt}");
                continue;
            }

            var settings = (JsonObject)target.Settings.DeepClone();
            settings["version"] = 1;
            settings["enabled"] = true;
            settings["expiresAt"] = expiresAt;
            settings["experimentId"] = state.Execution.Name;
            await services.Backends.Parameters.PutAsync(target.Parameter, settings.ToJsonString(), ct).ConfigureAwait(false);
            if (!state.Journal.Armed.Contains(target.Parameter))
            {
                state.Journal.Armed.Add(target.Parameter);
            }

            services.Log(state, "arm", $"armed {target.Parameter} until {expiresAt}");
        }

        return state;
    }
}
