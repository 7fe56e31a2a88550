using ServerlessChaos.Cli.GameDay.Report;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>
/// The game day's phases and timeline. The phase follows the control function the state machine is running;
/// every change and event is also told to the live view.
/// </summary>
internal sealed class PhaseTracker
{
    /// <summary>Before the state machine starts: load only, alarms settling.</summary>
    public const string Baseline = "baseline";

    /// <summary>validate and preflight.</summary>
    public const string SteadyStateCheck = "steady-state check";

    /// <summary>arm, start and observe.</summary>
    public const string FaultInjection = "fault injection";

    /// <summary>rollback.</summary>
    public const string Rollback = "rollback";

    /// <summary>verify.</summary>
    public const string Recovery = "recovery";

    /// <summary>report, cleanup, dead letter.</summary>
    public const string Report = "report";

    /// <summary>After the state machine ended: the load goes on for a little while to show the recovery.</summary>
    public const string CoolDown = "cool-down";

    private readonly TimeProvider clock;
    private readonly Action<string> tell;
    private readonly List<PhaseMark> phases = [];
    private readonly List<TimelineEntry> timeline = [];
    private readonly Lock gate = new();

    /// <summary>Starts in <see cref="Baseline"/>.</summary>
    /// <param name="clock">The clock.</param>
    /// <param name="tell">Told every timeline line, for the live view.</param>
    public PhaseTracker(TimeProvider clock, Action<string> tell)
    {
        this.clock = clock;
        this.tell = tell;
        StartedAt = clock.GetUtcNow();
        Enter(Baseline);
    }

    /// <summary>When the game day started.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The current phase.</summary>
    public string Current
    {
        get
        {
            lock (gate)
            {
                return phases[^1].Name;
            }
        }
    }

    /// <summary>When the current phase began.</summary>
    public DateTimeOffset CurrentSince
    {
        get
        {
            lock (gate)
            {
                return phases[^1].StartedAt;
            }
        }
    }

    /// <summary>The phases so far.</summary>
    public IReadOnlyList<PhaseMark> Phases
    {
        get
        {
            lock (gate)
            {
                return [.. phases];
            }
        }
    }

    /// <summary>The timeline so far.</summary>
    public IReadOnlyList<TimelineEntry> Timeline
    {
        get
        {
            lock (gate)
            {
                return [.. timeline];
            }
        }
    }

    /// <summary>The phase a control function belongs to, or null for one the game day does not know.</summary>
    public static string? PhaseOfStep(string step) => step switch
    {
        "validate" or "preflight" => SteadyStateCheck,
        "arm" or "start" or "observe" => FaultInjection,
        "rollback" => Rollback,
        "verify" => Recovery,
        "report" or "cleanup" or "deadletter" => Report,
        _ => null,
    };

    /// <summary>Records that the state machine invoked a control function, moving to its phase.</summary>
    public void StepInvoked(string step)
    {
        if (PhaseOfStep(step) is { } phase)
        {
            Enter(phase);
        }
    }

    /// <summary>Moves to a phase (nothing happens when it is the current one).</summary>
    public void Enter(string phase)
    {
        lock (gate)
        {
            if (phases.Count > 0 && phases[^1].Name == phase)
            {
                return;
            }

            phases.Add(new PhaseMark(phase, clock.GetUtcNow()));
        }

        Add("gameday", $"phase: {phase}");
    }

    /// <summary>Adds a line to the timeline.</summary>
    public void Add(string source, string text)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            timeline.Add(new TimelineEntry(now, source, text));
        }

        tell(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(now - StartedAt).TotalSeconds,6:0.0}s  {source,-13} {text}"));
    }
}
