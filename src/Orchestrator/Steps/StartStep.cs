using System.Security.Cryptography;
using System.Text;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// start: starts each FIS template with a client token derived from the execution (a retry gets the
/// same experiment), records it in the ledger, and sets up the monitor loop and the probes.
/// </summary>
internal sealed class StartStep(StepServices services)
{
    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var experiment = state.Experiment ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "experiment is missing: validate must run first");
        var plan = state.Plan ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "plan is missing: arm must run first");
        for (var i = 0; i < experiment.Faults.Count; i++)
        {
            var fis = experiment.Faults[i].Fis;
            if (fis?.TemplateId is null)
            {
                continue;
            }

            var tags = new Dictionary<string, string>(experiment.Tags)
            {
                [ChaosConventions.ManagedTagKey] = ChaosConventions.ManagedTagValue,
                [ChaosConventions.ExperimentTagKey] = experiment.Name,
                [ChaosConventions.ExecutionTagKey] = state.Execution.Name,
            };
            var token = ClientToken(state.Execution.Id, i);
            var id = await services.Backends.Fis.StartExperimentAsync(new(fis.TemplateId, token, tags, fis.ActionsMode), ct).ConfigureAwait(false);
            var run = new FisRun { TemplateId = fis.TemplateId, ExperimentId = id };

            // The ledger knows the experiment before the journal does, so cleanup can stop it.
            var ledger = await services.ReadLedgerAsync(state.Execution.Name, ct).ConfigureAwait(false)
                ?? new RollbackLedger { ExecutionId = state.Execution.Id, Experiment = experiment.Name, RecordedAt = services.Now };
            if (!ledger.FisExperiments.Any(r => r.ExperimentId == id))
            {
                ledger.FisExperiments.Add(run);
                await services.WriteLedgerAsync(state.Execution.Name, ledger, ct).ConfigureAwait(false);
            }

            if (!state.Journal.Fis.Any(r => r.ExperimentId == id))
            {
                state.Journal.Fis.Add(run);
            }

            services.Log(state, "start", $"started FIS experiment {id} from template {fis.TemplateId} ({fis.ActionsMode})");
        }

        state.Journal.Probes = experiment.DryRun
            ? new List<ProbeResult>()
            : experiment.Faults.Where(f => f.HttpLoad is not null)
                .Select(f => new ProbeResult { Url = f.HttpLoad!.Url, Variant = f.HttpLoad.Variant }).ToList();
        var probing = state.Journal.Probes.Count > 0;
        state.Monitor = new MonitorState
        {
            // With probes, observe spends the poll interval sending traffic, so the loop does not wait too.
            WaitSeconds = probing ? 0 : experiment.PollIntervalSeconds,
            FisState = state.Journal.Fis.Count > 0 ? "pending" : "none",
        };
        services.Log(state, "start", $"monitoring for {experiment.DurationSeconds} s, until {plan.EndsAt:O}");
        return state;
    }

    private static string ClientToken(string executionId, int faultIndex)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{executionId}#{faultIndex}"));
        return "sc-" + Convert.ToHexString(hash)[..40].ToLowerInvariant();
    }
}
