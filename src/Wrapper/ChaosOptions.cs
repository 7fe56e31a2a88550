using System.Text.Json.Serialization.Metadata;

namespace ServerlessChaos.Wrapper;

/// <summary>
/// How the wrapper reads settings, injects faults and reports them. Every member has a working default. A wrapper copies
/// these options when it is constructed: changing the object afterwards has no effect on that wrapper.
/// </summary>
public sealed class ChaosOptions
{
    /// <summary>Default response header naming injected faults.</summary>
    public const string DefaultInjectedHeader = "X-Chaos-Injected";

    /// <summary>The clock for cache lifetimes, delays and deadlines.</summary>
    /// <value>Defaults to <see cref="TimeProvider.System"/>.</value>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Source of uniform random numbers in [0, 1) for rates, delays and SQS item choice.</summary>
    /// <value>Defaults to <see cref="Random.Shared"/> (seeded by the OS, not the clock).</value>
    public Func<double> Randomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>How long settings are reused while armed, so a disarm or halt takes effect within this.</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan ArmedTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long settings are reused while disarmed (missing, disabled, expired, halted or invalid).</summary>
    /// <value>Defaults to 60 seconds.</value>
    public TimeSpan IdleTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an invocation waits for a settings read before going on without it.</summary>
    /// <value>Defaults to 250 milliseconds.</value>
    public TimeSpan FetchBudget { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Hard limit on one settings read running in the background after the budget passed.</summary>
    /// <value>Defaults to 5 seconds.</value>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// First wait after a throttled read (SSM <c>ThrottlingException</c>, HTTP 429); it doubles with every further throttled
    /// read, jittered over the second half. Other failures are retried at the next refresh (network, timeout, 5xx) or
    /// after the idle TTL (access denied: disarmed at once).
    /// </summary>
    /// <value>Defaults to 1 second.</value>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between throttled reads (never longer than <see cref="MaxUnconfirmedArmed"/>).</summary>
    /// <value>Defaults to 60 seconds; with the default bound, retries are at most 30 seconds apart.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fail-closed bound: how long armed settings keep being applied when they could not be confirmed (every read
    /// since the last good one failed: throttled, unreachable, timed out, 5xx). Past it the wrapper injects nothing
    /// until a read succeeds again, and logs one line saying so. Armed settings are also re-read at least this often,
    /// and failed reads are retried at least this often while armed. Disarmed last-known-good settings have no bound
    /// (no chaos is always safe). Armed settings also stop at their own <c>expiresAt</c>.
    /// </summary>
    /// <value>Defaults to 30 seconds.</value>
    public TimeSpan MaxUnconfirmedArmed { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Source of uniform random numbers in [0, 1) that spreads each environment's refresh instant over the last
    /// <see cref="RefreshSpread"/> of its lifetime, so a fleet started together does not read the store in lockstep.
    /// </summary>
    /// <value>Defaults to <see cref="Random.Shared"/>.</value>
    public Func<double> RefreshRandomizer { get; set; } = Random.Shared.NextDouble;

    /// <summary>
    /// Fraction (0 to 1) of <see cref="ArmedTtl"/> and <see cref="IdleTtl"/> over which refreshes are spread: a
    /// refresh is due after <c>ttl × (1 − RefreshSpread × r)</c>, never later than the TTL.
    /// </summary>
    /// <value>Defaults to 0.2 (an armed 5 s lifetime becomes 4 to 5 s).</value>
    public double RefreshSpread { get; set; } = 0.2;

    /// <summary>Time left before the deadline that latency never eats into (unless a fault allows it).</summary>
    /// <value>Defaults to 100 milliseconds.</value>
    public TimeSpan DeadlineMargin { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Response header naming the injected faults on HTTP-shaped results; null or empty switches it off.</summary>
    /// <value>Defaults to <c>X-Chaos-Injected</c>.</value>
    public string? InjectedHeader { get; set; } = DefaultInjectedHeader;

    /// <summary>Response header naming the faults a dry run would have injected; null or empty switches it off.</summary>
    /// <value>Defaults to <c>X-Chaos-Dry-Run</c>.</value>
    public string? DryRunHeader { get; set; } = DefaultDryRunHeader;

    /// <summary>Default response header naming the faults a dry run would have injected.</summary>
    public const string DefaultDryRunHeader = "X-Chaos-Dry-Run";

    /// <summary>Where log lines and EMF records go (Lambda sends standard output to CloudWatch Logs).</summary>
    /// <value>Defaults to <see cref="Console.Out"/>.</value>
    public TextWriter? LogWriter { get; set; }

    /// <summary>Function name for telemetry when the context has none.</summary>
    /// <value>Defaults to null: the wrapper then uses <c>AWS_LAMBDA_FUNCTION_NAME</c>, read when it is constructed through
    /// the environment it was built with (<see cref="ChaosWrapper.FromEnvironment"/>'s reader, else the process).</value>
    public string? FunctionName { get; set; }

    /// <summary>
    /// The System.Text.Json metadata of the function's event and result types: pass the same
    /// <c>JsonSerializerContext</c> the function gives <c>SourceGeneratorLambdaJsonSerializer</c>. The wrapper reads
    /// <c>match</c> paths and SQS message ids from typed events, and rewrites typed results, through it; this is what
    /// makes nested members work under Native AOT.
    /// </summary>
    /// <value>Defaults to null: under the JIT the reflection-based resolver is used; under Native AOT, faults that need
    /// to read a typed event or change a typed result are skipped, with one log line per settings version.</value>
    public IJsonTypeInfoResolver? JsonTypeInfoResolver { get; set; }

    /// <summary>Folder the disk-space fault fills.</summary>
    /// <value>Defaults to <see cref="Path.GetTempPath"/> (<c>/tmp</c> on Lambda).</value>
    public string TempDirectory { get; set; } = Path.GetTempPath();

    /// <summary>The wrapper's own copy, taken once at construction (members are values or delegates, so a shallow copy suffices).</summary>
    internal ChaosOptions Copy() => (ChaosOptions)MemberwiseClone();
}
