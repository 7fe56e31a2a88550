using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// observe: one turn of the monitor loop. Sends a slice of probe traffic, then reads the alarms, the
/// halt switch and every FIS experiment, and tells the Choice states what it saw.
/// </summary>
internal sealed class ObserveStep(StepServices services)
{
    // Combining several FIS experiments: the most alarming end state wins, otherwise the least advanced.
    private static readonly string[] FisPriority = ["failed", "cancelled", "stopped", "stopping", "pending", "initiating", "running", "completed"];

    public async Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        var experiment = state.Experiment ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "experiment is missing: validate must run first");
        var plan = state.Plan ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "plan is missing: arm must run first");
        var monitor = state.Monitor ?? new MonitorState();
        monitor.Polls++;

        var stillProbing = await RunProbesAsync(state, experiment, ct).ConfigureAwait(false);

        var alarms = await services.Backends.Alarms.DescribeAsync(experiment.Hypothesis.Alarms, ct).ConfigureAwait(false);
        var breached = new List<string>();
        foreach (var name in experiment.Hypothesis.Alarms)
        {
            var alarmState = alarms.FirstOrDefault(a => a.Name == name)?.State ?? "MISSING";
            if (state.Journal.Alarms.GetValueOrDefault(name) != alarmState)
            {
                services.Log(state, "observe", $"alarm {name} is {alarmState}");
                state.Journal.Alarms[name] = alarmState;
            }

            if (alarmState is "ALARM" or "MISSING")
            {
                breached.Add(name);
            }
        }

        monitor.AlarmBreached = breached.Count > 0;
        if (monitor.AlarmBreached && monitor.AlarmSeenAt is null)
        {
            // When the alarm went into ALARM (its state-updated time), not when this poll noticed: the journal's
            // alarmToRollbackSeconds must match the timeline. A time from before the faults went on is not this breach.
            var changedAt = alarms.Where(a => breached.Contains(a.Name) && a.StateUpdatedAt is { } t && t >= plan.StartedAt && t <= services.Now)
                .Select(a => a.StateUpdatedAt!.Value).DefaultIfEmpty(services.Now).Min();
            monitor.AlarmSeenAt = changedAt;
            state.Journal.Reasons.Add($"alarm {string.Join(", ", breached)} went into ALARM after {(int)(changedAt - plan.StartedAt).TotalSeconds} s");
        }

        var halt = (await services.Backends.Parameters.GetAsync(services.Options.HaltParameter, ct).ConfigureAwait(false))?.Value;
        monitor.Halted = HaltValue.IsHalted(halt);
        if (monitor.Halted)
        {
            services.Log(state, "observe", $"halt parameter {services.Options.HaltParameter} is set");
        }

        var fisStates = new List<string>();
        foreach (var run in state.Journal.Fis)
        {
            var status = await services.Backends.Fis.GetExperimentAsync(run.ExperimentId, ct).ConfigureAwait(false);
            if (run.States.LastOrDefault() != status.State)
            {
                run.States.Add(status.State);
                services.Log(state, "observe", $"FIS experiment {run.ExperimentId} is {status.State}{(status.Reason is null ? "" : $" ({status.Reason})")}");
            }

            fisStates.Add(status.State);
        }

        monitor.FisState = fisStates.Count == 0
            ? "none"
            : fisStates.OrderBy(s => Array.IndexOf(FisPriority, s) is var i && i < 0 ? -1 : i).First();

        var now = services.Now;
        monitor.ElapsedSeconds = (int)Math.Max(0, (now - plan.StartedAt).TotalSeconds);
        monitor.DurationReached = now >= plan.EndsAt;
        var remaining = (int)Math.Ceiling(Math.Max(0, (plan.EndsAt - now).TotalSeconds));
        monitor.WaitSeconds = stillProbing ? 0 : Math.Max(1, Math.Min(experiment.PollIntervalSeconds, remaining));
        state.Monitor = monitor;
        return state;
    }

    /// <summary>Sends one poll interval of traffic for every probe still running; true when any has more to send.</summary>
    private async Task<bool> RunProbesAsync(ExecutionState state, Experiment experiment, CancellationToken ct)
    {
        var probes = experiment.Faults.Where(f => f.HttpLoad is not null).Select(f => f.HttpLoad!).ToList();
        if (experiment.DryRun || probes.Count == 0 || state.Journal.Probes.Count != probes.Count)
        {
            return false;
        }

        var slices = new List<Task<ProbeCounts>>();
        var active = new List<(HttpLoadFault Probe, ProbeResult Result, int Seconds)>();
        for (var i = 0; i < probes.Count; i++)
        {
            var result = state.Journal.Probes[i];
            var seconds = Math.Min(experiment.PollIntervalSeconds, probes[i].DurationSeconds - result.SecondsRun);
            if (seconds <= 0)
            {
                continue;
            }

            active.Add((probes[i], result, seconds));
            slices.Add(services.Backends.Probes.RunAsync(probes[i], TimeSpan.FromSeconds(seconds), ct));
        }

        var counts = await Task.WhenAll(slices).ConfigureAwait(false);
        var more = false;
        for (var i = 0; i < active.Count; i++)
        {
            var (probe, result, seconds) = active[i];
            result.Counts.Add(counts[i]);
            result.SecondsRun += seconds;
            (result.Met, result.Problem) = Judge(probe.Expect, result.Counts);
            more |= result.SecondsRun < probe.DurationSeconds;
        }

        return more;
    }

    internal static (bool Met, string? Problem) Judge(ProbeExpectation expect, ProbeCounts counts)
    {
        var problems = new List<string>();
        if (expect.No5xx)
        {
            var bad = counts.ByStatus.Where(p => p.Key == "0" || p.Key.StartsWith('5')).Sum(p => p.Value);
            if (bad > 0)
            {
                problems.Add($"{bad} of {counts.Requests} responses were 5xx or failed");
            }
        }

        if (expect.StatusCodes is { Count: > 0 } allowed)
        {
            var other = counts.ByStatus.Where(p => !allowed.Any(a => a.ToString(System.Globalization.CultureInfo.InvariantCulture) == p.Key)).ToList();
            if (other.Count > 0)
            {
                problems.Add($"unexpected statuses {string.Join(", ", other.Select(p => $"{p.Key}×{p.Value}"))} (expected {string.Join(", ", allowed)})");
            }
        }

        return (problems.Count == 0, problems.Count == 0 ? null : string.Join("; ", problems));
    }
}
