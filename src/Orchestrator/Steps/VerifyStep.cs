using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>verify: after rollback, every alarm must be OK again within the recovery window.</summary>
internal sealed class VerifyStep(StepServices services)
{
    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var experiment = state.Experiment ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "experiment is missing: validate must run first");
        var now = services.Now;
        var verify = state.Verify ?? new VerifyState { Deadline = now.AddSeconds(experiment.Hypothesis.RecoveryWindowSeconds) };
        var alarms = await services.Backends.Alarms.DescribeAsync(experiment.Hypothesis.Alarms, ct).ConfigureAwait(false);
        var notOk = experiment.Hypothesis.Alarms.Where(name => alarms.FirstOrDefault(a => a.Name == name)?.State != "OK").ToList();
        foreach (var alarm in alarms)
        {
            state.Journal.Alarms[alarm.Name] = alarm.State;
        }

        if (notOk.Count == 0)
        {
            verify.Done = true;
            verify.Recovered = true;
            services.Log(state, "verify", "every alarm is OK");
        }
        else if (now >= verify.Deadline)
        {
            verify.Done = true;
            verify.Recovered = false;
            state.Journal.Reasons.Add($"alarm {string.Join(", ", notOk)} not OK {experiment.Hypothesis.RecoveryWindowSeconds} s after rollback");
            services.Log(state, "verify", $"not recovered within {experiment.Hypothesis.RecoveryWindowSeconds} s: {string.Join(", ", notOk)}");
        }
        else
        {
            verify.WaitSeconds = (int)Math.Clamp(Math.Ceiling((verify.Deadline - now).TotalSeconds), 1, experiment.PollIntervalSeconds);
        }

        state.Verify = verify;
        return state;
    }
}
