using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Backends;
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
        var recorded = ledger is not null;
        if (ledger is null)
        {
            ledger = new RollbackLedger { ExecutionId = state.Execution.Id, Experiment = experiment.Name, RecordedAt = now };
            // A dry run records nothing, so it reads nothing either.
            foreach (var target in experiment.DryRun ? [] : targets)
            {
                var prior = await services.Backends.Parameters.GetAsync(target.Parameter, ct).ConfigureAwait(false);
                ledger.Parameters.Add(new LedgerEntry
                {
                    Parameter = target.Parameter,
                    Existed = prior is not null,
                    PriorValue = prior?.Value,
                    Type = prior?.Type ?? ParameterTypes.String,
                    KeyId = prior?.KeyId,
                    Tier = prior?.Tier ?? ParameterTiers.Standard,
                });
            }
        }

        // Every write is planned and checked before the first one, so a refusal leaves nothing half armed.
        var expiresAt = plan.ExpiresAt.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var writes = new List<StoredParameter>();
        var problems = new List<string>();
        foreach (var target in targets)
        {
            var settings = (JsonObject)target.Settings.DeepClone();
            settings["version"] = 1;
            settings["enabled"] = true;
            settings["expiresAt"] = expiresAt;
            settings["experimentId"] = state.Execution.Name;
            var document = settings.ToJsonString();

            // The armed document keeps the parameter's type and key: a SecureString stays encrypted with its own key.
            var entry = ledger.Parameters.FirstOrDefault(e => e.Parameter == target.Parameter);
            var write = new StoredParameter(target.Parameter, document)
            {
                Type = entry?.Type ?? ParameterTypes.String,
                KeyId = entry?.KeyId,
                Tier = ParameterRules.TierFor(document, entry?.Tier, experiment.AllowAdvancedTier),
            };
            if (ParameterRules.Problem(write) is { } problem)
            {
                problems.Add(problem);
            }

            if (entry is not null)
            {
                entry.ArmedTier = write.Tier;
            }

            writes.Add(write);
        }

        if (problems.Count > 0)
        {
            throw new ControlFunctionException(ErrorTypes.ParameterInvalid, $"nothing was armed: {string.Join("; ", problems)}");
        }

        if (!recorded)
        {
            await services.WriteLedgerAsync(state.Execution.Name, ledger, ct).ConfigureAwait(false);
            services.Log(state, "arm", $"rollback ledger recorded for {ledger.Parameters.Count} parameter(s)");
        }

        foreach (var write in writes)
        {
            if (experiment.DryRun)
            {
                services.Log(state, "arm", $"dry run: would arm {write.Name} until {expiresAt}");
                continue;
            }

            await services.Backends.Parameters.PutAsync(write, ct).ConfigureAwait(false);
            if (!state.Journal.Armed.Contains(write.Name))
            {
                state.Journal.Armed.Add(write.Name);
            }

            services.Log(state, "arm", $"armed {write.Name} until {expiresAt}" + (write.Tier == ParameterTiers.Advanced ? " (Advanced tier)" : ""));
        }

        return state;
    }
}
