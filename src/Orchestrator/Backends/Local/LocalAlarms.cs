namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>
/// Alarms whose state a host sets (the local game day's alarm evaluator, a test). Each alarm carries the
/// evaluation settings preflight uses for the worst-case abort time.
/// </summary>
public sealed class LocalAlarms : IAlarmSource
{
    private readonly LocalStateFile<Dictionary<string, LocalAlarm>> state;

    /// <summary>Creates the alarms; with <paramref name="file"/> they live in that JSON file.</summary>
    public LocalAlarms(string? file = null)
    {
        state = new(file, LocalJson.Default.DictionaryStringLocalAlarm, () => new Dictionary<string, LocalAlarm>(StringComparer.Ordinal));
    }

    /// <summary>Creates or replaces an alarm.</summary>
    /// <param name="name">The alarm name.</param>
    /// <param name="periodSeconds">The metric period. Defaults to 10.</param>
    /// <param name="evaluationPeriods">Periods evaluated. Defaults to 1.</param>
    /// <param name="datapointsToAlarm">Breaching periods needed. Defaults to 1.</param>
    /// <param name="initialState">Defaults to OK.</param>
    public void Define(string name, int periodSeconds = 10, int evaluationPeriods = 1, int datapointsToAlarm = 1, string initialState = "OK")
    {
        CheckState(initialState);
        state.Update(s => s[name] = new LocalAlarm { State = initialState, PeriodSeconds = periodSeconds, EvaluationPeriods = evaluationPeriods, DatapointsToAlarm = datapointsToAlarm }, save: true);
    }

    /// <summary>Sets an alarm's state: OK, ALARM or INSUFFICIENT_DATA.</summary>
    /// <param name="name">The alarm name.</param>
    /// <param name="newState">The new state.</param>
    /// <param name="at">When the state changed (reported as the alarm's state-updated time when it is a change); unknown when null.</param>
    /// <exception cref="KeyNotFoundException">The alarm was never defined.</exception>
    public void SetState(string name, string newState, DateTimeOffset? at = null)
    {
        CheckState(newState);
        state.Update(
            s =>
            {
                var alarm = s.TryGetValue(name, out var found) ? found : throw new KeyNotFoundException($"alarm {name} is not defined; call Define first");
                if (alarm.State != newState)
                {
                    alarm.StateUpdatedAt = at;
                }

                return alarm.State = newState;
            },
            save: true);
    }

    /// <summary>An alarm's current state, or null when it is not defined.</summary>
    public string? GetState(string name) => state.Update(s => s.GetValueOrDefault(name)?.State, save: false);

    /// <inheritdoc />
    public Task<IReadOnlyList<AlarmStatus>> DescribeAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AlarmStatus>>(state.Update(
            s => names.Where(s.ContainsKey)
                .Select(n => new AlarmStatus(n, s[n].State, s[n].PeriodSeconds, s[n].EvaluationPeriods, s[n].DatapointsToAlarm, s[n].StateUpdatedAt))
                .ToList(),
            save: false));

    private static void CheckState(string value)
    {
        if (value is not ("OK" or "ALARM" or "INSUFFICIENT_DATA"))
        {
            throw new ArgumentException($"alarm state must be OK, ALARM or INSUFFICIENT_DATA (was {value})", nameof(value));
        }
    }
}

/// <summary>One local alarm (its persisted form).</summary>
public sealed class LocalAlarm
{
    /// <summary>OK, ALARM or INSUFFICIENT_DATA.</summary>
    public string State { get; set; } = "OK";

    /// <summary>The metric period in seconds.</summary>
    public int PeriodSeconds { get; set; } = 10;

    /// <summary>Periods evaluated.</summary>
    public int EvaluationPeriods { get; set; } = 1;

    /// <summary>Breaching periods needed.</summary>
    public int DatapointsToAlarm { get; set; } = 1;

    /// <summary>When the state last changed, if the host said.</summary>
    public DateTimeOffset? StateUpdatedAt { get; set; }
}
