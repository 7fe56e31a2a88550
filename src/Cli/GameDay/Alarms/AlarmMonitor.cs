using ServerlessChaos.Cli.GameDay.Metrics;

namespace ServerlessChaos.Cli.GameDay.Alarms;

/// <summary>One change of an alarm's state.</summary>
/// <param name="At">When the evaluation that changed it ran.</param>
/// <param name="Alarm">The alarm name.</param>
/// <param name="From">The state before.</param>
/// <param name="To">The state after.</param>
/// <param name="Reason">Why, from the evaluator.</param>
internal sealed record AlarmTransition(DateTimeOffset At, string Alarm, AlarmState From, AlarmState To, string Reason);

/// <summary>
/// Turns the request log into one datapoint per alarm period and evaluates every alarm at each period
/// boundary, like CloudWatch. Periods are aligned to <c>origin</c> (the start of the game day).
/// </summary>
internal sealed class AlarmMonitor
{
    private readonly IReadOnlyList<AlarmDefinition> alarms;
    private readonly RequestLog log;
    private readonly TimeProvider clock;
    private readonly DateTimeOffset origin;
    private readonly Func<string, AlarmState, string, CancellationToken, Task> publish;
    private readonly Dictionary<string, AlarmState> states = [];
    private readonly List<AlarmTransition> transitions = [];
    private readonly Lock gate = new();

    /// <summary>Creates the monitor; every alarm starts in INSUFFICIENT_DATA, as a new CloudWatch alarm does.</summary>
    /// <param name="alarms">The alarms to evaluate.</param>
    /// <param name="log">Where the requests are.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="origin">Where period 0 starts.</param>
    /// <param name="publish">Told every new state (alarm, state, reason), for the experiment's alarm backend to read.</param>
    public AlarmMonitor(IReadOnlyList<AlarmDefinition> alarms, RequestLog log, TimeProvider clock, DateTimeOffset origin, Func<string, AlarmState, string, CancellationToken, Task> publish)
    {
        ArgumentNullException.ThrowIfNull(alarms);
        foreach (var alarm in alarms)
        {
            alarm.Validate();
            states[alarm.Name] = AlarmState.InsufficientData;
        }

        this.alarms = alarms;
        this.log = log;
        this.clock = clock;
        this.origin = origin;
        this.publish = publish;
    }

    /// <summary>The alarms being evaluated.</summary>
    public IReadOnlyList<AlarmDefinition> Alarms => alarms;

    /// <summary>The current state of every alarm.</summary>
    public IReadOnlyDictionary<string, AlarmState> States
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, AlarmState>(states);
            }
        }
    }

    /// <summary>Every state change so far, in order.</summary>
    public IReadOnlyList<AlarmTransition> Transitions
    {
        get
        {
            lock (gate)
            {
                return [.. transitions];
            }
        }
    }

    /// <summary>Publishes the initial states so the backend knows every alarm from the start.</summary>
    public async Task PublishInitialAsync(CancellationToken cancellationToken)
    {
        foreach (var alarm in alarms)
        {
            await publish(alarm.Name, AlarmState.InsufficientData, "alarm created; no datapoints yet", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The datapoints of the periods completed by <paramref name="now"/>, oldest first, limited to the alarm's evaluation range.</summary>
    public IReadOnlyList<double?> Datapoints(AlarmDefinition alarm, DateTimeOffset now)
    {
        var completed = (long)Math.Floor((now - origin) / alarm.Period);
        var first = Math.Max(0, completed - alarm.EvaluationRange);
        List<double?> points = [];
        for (var k = first; k < completed; k++)
        {
            var start = origin + (alarm.Period * k);
            var stats = log.Window(start, start + alarm.Period);
            points.Add(stats.Count == 0 ? null : alarm.Metric switch
            {
                AlarmMetric.P99LatencyMs => stats.P99Ms,
                _ => stats.ErrorRatePercent,
            });
        }

        return points;
    }

    /// <summary>Evaluates every alarm now and publishes the changes.</summary>
    public async Task EvaluateAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        foreach (var alarm in alarms)
        {
            AlarmState before;
            lock (gate)
            {
                before = states[alarm.Name];
            }

            var result = AlarmEvaluator.Evaluate(alarm, Datapoints(alarm, now), before);
            if (result.State == before)
            {
                continue;
            }

            lock (gate)
            {
                states[alarm.Name] = result.State;
                transitions.Add(new AlarmTransition(now, alarm.Name, before, result.State, result.Reason));
            }

            await publish(alarm.Name, result.State, result.Reason, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Evaluates at every boundary of the shortest period until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var step = alarms.Count == 0 ? TimeSpan.FromSeconds(1) : alarms.Min(a => a.Period);
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = origin + (step * (Math.Floor((now - origin) / step) + 1));
            try
            {
                // A few milliseconds after the boundary so the requests of the closing period are in.
                await Task.Delay(next - now + TimeSpan.FromMilliseconds(5), clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await EvaluateAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
