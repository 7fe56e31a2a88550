using ServerlessChaos.Cli.GameDay.Alarms;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>How a local game day runs.</summary>
internal sealed class GameDayOptions
{
    /// <summary>The placeholder an experiment file may use for the local sample API's base address (for HTTP probes).</summary>
    public const string SampleApiUrlPlaceholder = "${SampleApiUrl}";

    /// <summary>
    /// How often every wrapper of a game day re-reads its settings, armed or not (its armed and idle TTL): a local game
    /// day's phases are seconds long, and the wrapper's defaults (5 s armed, 60 s idle) would see an arm or a rollback
    /// late. The in-process sample, <c>chaos sample-api</c> (each ECS-style task) and your own service
    /// (<see cref="Target.TargetSpec.ServiceEnvironment(Uri)"/>) all use it.
    /// </summary>
    public static readonly TimeSpan SettingsTtl = TimeSpan.FromSeconds(1);

    /// <summary>The state machine definition, the Node runner and its tools: the repository's, or those packaged with the tool.</summary>
    public required Assets.GameDayAssets Assets { get; init; }

    /// <summary>The port the local control plane serves its parameter store on over the SSM protocol (127.0.0.1). Defaults to 0: the system picks one.</summary>
    public int SsmPort { get; init; }

    /// <summary>The experiments to run, in order (a single experiment file is a plan of one).</summary>
    public required Plan.GameDayPlan Plan { get; init; }

    /// <summary>Where report.html, report.json and report.md go.</summary>
    public required string ReportDirectory { get; init; }

    /// <summary>The settings parameters the game day's functions read; a wrapper fault aimed elsewhere is refused. Defaults to the sample API's.</summary>
    public IReadOnlyList<string> ServedParameters { get; init; } = SampleParameters;

    /// <summary>The settings parameter the bundled sample API reads.</summary>
    public static IReadOnlyList<string> SampleParameters { get; } = [GameDay.Target.SampleTargetFactory.Parameter];

    /// <summary>Whether probes may go to hosts other than 127.0.0.1/localhost. Defaults to false.</summary>
    public bool AllowRemoteTargets { get; init; }

    /// <summary>Your own service as the target (a game-day file's <c>target</c> section), or null for the bundled sample API.</summary>
    public Target.TargetSpec? Target { get; init; }

    /// <summary>Requests per second the load generator sends. Defaults to 20.</summary>
    public double RatePerSecond { get; init; } = 20;

    /// <summary>The requests the load cycles through; a path's <c>{n}</c> is the request number modulo 100. Defaults to <c>GET /orders/{n}</c>.</summary>
    public IReadOnlyList<Plan.PlanRequest> Requests { get; init; } = SampleRequests;

    /// <summary>The bundled sample API's steady load: <c>GET /orders/{n}</c>.</summary>
    public static IReadOnlyList<Plan.PlanRequest> SampleRequests { get; } = [new("GET", "/orders/{n}")];

    /// <summary>Serve the sample API as a local ECS-style service (tasks behind a round-robin front) instead of one listener. Defaults to null (one listener).</summary>
    public Plan.PlanService? Service { get; init; }

    /// <summary>The local alarms; every alarm in the experiment's hypothesis must be one of them. Defaults to <see cref="SampleAlarms.Defaults"/>.</summary>
    public IReadOnlyList<AlarmDefinition> Alarms { get; init; } = SampleAlarms.Defaults;

    /// <summary>How long the simulated inventory service takes per answer. Defaults to 10 ms.</summary>
    public TimeSpan InventoryThinkTime { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The longest wait for every alarm to be OK before each experiment starts. Defaults to 30 s.</summary>
    public TimeSpan MaxBaseline { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The whole game day is cut off after this long (the load generator's bound too). Defaults to 15 min.</summary>
    public TimeSpan HardLimit { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the load keeps going after the state machine ends, to show the recovery. Defaults to one period of the slowest alarm.</summary>
    public TimeSpan? CoolDown { get; init; }

    /// <summary>How often a status line is printed when the output is not a terminal. Defaults to 5 s.</summary>
    public TimeSpan PlainStatusInterval { get; init; } = TimeSpan.FromSeconds(5);
}
