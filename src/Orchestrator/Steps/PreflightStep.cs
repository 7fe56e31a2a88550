using ServerlessChaos.Wrapper.Settings;
using System.Globalization;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// preflight: refuses to start, with every reason, when an alarm is not OK, the halt switch is set, a
/// target is already armed, the worst-case abort time exceeds the budget, or a FIS template is missing.
/// </summary>
internal sealed class PreflightStep(StepServices services)
{
    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var experiment = state.Experiment ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "experiment is missing: validate must run first");
        var reasons = new List<string>();
        var now = services.Now;

        var alarms = await services.Backends.Alarms.DescribeAsync(experiment.Hypothesis.Alarms, ct).ConfigureAwait(false);
        foreach (var name in experiment.Hypothesis.Alarms)
        {
            var alarm = alarms.FirstOrDefault(a => a.Name == name);
            if (alarm is null)
            {
                reasons.Add($"alarm {name} does not exist");
                continue;
            }

            state.Journal.Alarms[name] = alarm.State;
            if (alarm.State != "OK")
            {
                reasons.Add($"alarm {name} is in {alarm.State}; the steady state must be OK before faults go on");
            }
        }

        var halt = (await services.Backends.Parameters.GetAsync(services.Options.HaltParameter, ct).ConfigureAwait(false))?.Value;
        if (HaltValue.IsHalted(halt))
        {
            reasons.Add($"the halt parameter {services.Options.HaltParameter} is set ({halt!.Trim()}); run `chaos unhalt` to allow experiments");
        }

        foreach (var fault in experiment.Faults.Where(f => f.Wrapper is not null))
        {
            var current = (await services.Backends.Parameters.GetAsync(fault.Wrapper!.Parameter, ct).ConfigureAwait(false))?.Value;
            if (ArmState.IsArmed(current, now, out var owner))
            {
                reasons.Add($"parameter {fault.Wrapper.Parameter} is already armed (experimentId {owner ?? "unknown"}); disarm it or wait for it to expire");
            }
        }

        // Worst case: the slowest alarm needs all its evaluated periods, then the loop may be mid-wait, then rollback runs.
        var slowest = alarms.OrderByDescending(a => a.WorstCaseDetection).FirstOrDefault();
        var detection = slowest?.WorstCaseDetection ?? TimeSpan.Zero;
        var worstCase = detection + TimeSpan.FromSeconds(experiment.PollIntervalSeconds) + services.Options.RollbackAllowance;
        var worstCaseSeconds = (int)Math.Ceiling(worstCase.TotalSeconds);
        if (worstCaseSeconds > experiment.AbortBudgetSeconds)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture,
                $"worst-case abort time {worstCaseSeconds} s (alarm {slowest?.Name}: {slowest?.PeriodSeconds} s period × {Math.Max(slowest?.EvaluationPeriods ?? 0, slowest?.DatapointsToAlarm ?? 0)} evaluation periods, + {experiment.PollIntervalSeconds} s poll interval + {services.Options.RollbackAllowance.TotalSeconds} s rollback) exceeds abortBudgetSeconds {experiment.AbortBudgetSeconds}"));
        }

        for (var i = 0; i < experiment.Faults.Count; i++)
        {
            var fis = experiment.Faults[i].Fis;
            if (fis is null)
            {
                continue;
            }

            if (fis.TemplateId is not null)
            {
                if (!await services.Backends.Fis.TemplateExistsAsync(fis.TemplateId, ct).ConfigureAwait(false))
                {
                    reasons.Add($"FIS experiment template {fis.TemplateId} (faults[{i}]) does not exist");
                }
            }
            else if (fis.TemplateTag is { } tag)
            {
                var found = await services.Backends.Fis.FindTemplatesByTagAsync(tag.Key, tag.Value, ct).ConfigureAwait(false);
                if (found.Count == 1)
                {
                    fis.TemplateId = found[0];
                }
                else
                {
                    reasons.Add($"faults[{i}].fis.templateTag {tag.Key}={tag.Value} matches {found.Count} FIS templates; it must match exactly one");
                }
            }
        }

        if (reasons.Count > 0)
        {
            throw new ControlFunctionException(ErrorTypes.PreflightRefused, "preflight refused to start: " + string.Join("; ", reasons));
        }

        state.Plan = new ExperimentPlan { WorstCaseAbortSeconds = worstCaseSeconds };
        services.Log(state, "preflight", $"steady state OK ({string.Join(", ", experiment.Hypothesis.Alarms)}); worst-case abort {worstCaseSeconds} s within budget {experiment.AbortBudgetSeconds} s");
        return state;
    }
}
