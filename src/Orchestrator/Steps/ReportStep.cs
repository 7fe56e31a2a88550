using ServerlessChaos.Orchestrator.Execution;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>report: decides the verdict (held, deviated, aborted, failed) and closes the journal.</summary>
internal sealed class ReportStep(StepServices services)
{
    public Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var journal = state.Journal;
        var reasons = journal.Reasons;
        string verdict;
        switch (state.StopReason)
        {
            case "alarm" or "halt" or "fis-stopped" or "fis-cancelled":
                verdict = Verdicts.AbortedName;
                if (state.StopReason != "alarm")
                {
                    reasons.Add(state.StopReason == "halt" ? "the halt parameter was set" : $"the FIS experiment ended {state.StopReason[4..]}");
                }

                break;
            case "fis-failed" or "fis-unknown":
                verdict = Verdicts.FailedName;
                reasons.Add(state.StopReason == "fis-failed" ? "the FIS experiment failed" : $"the FIS experiment is in an unknown state ({state.Monitor?.FisState})");
                break;
            default:
                var unmet = journal.Probes.Where(p => !p.Met).ToList();
                foreach (var probe in unmet)
                {
                    reasons.Add($"probe {probe.Variant} {probe.Url}: {probe.Problem}");
                }

                verdict = unmet.Count > 0 || state.Verify?.Recovered == false ? Verdicts.DeviatedName : Verdicts.HeldName;
                break;
        }

        if (state.Rollback?.Completed != true)
        {
            verdict = Verdicts.FailedName;
            reasons.Add("rollback did not complete");
        }

        journal.Verdict = verdict;
        services.Log(state, "report", $"verdict {verdict}{(reasons.Count > 0 ? ": " + string.Join("; ", reasons) : "")}");
        return Task.FromResult(state);
    }
}
