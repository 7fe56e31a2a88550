using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>Delay the invocation by a fixed or uniformly random number of milliseconds before the handler runs.</summary>
internal sealed class LatencyFaultSettings : FaultSettings
{
    /// <summary>Largest accepted delay: 900 000 ms, Lambda's 15-minute maximum.</summary>
    public const int MaxDelayMs = 900_000;

    internal LatencyFaultSettings(double rate, IReadOnlyList<EventMatch> match, int minMs, int maxMs, bool allowPastDeadline)
        : base(rate, match)
    {
        MinMs = minMs;
        MaxMs = maxMs;
        AllowPastDeadline = allowPastDeadline;
    }

    /// <inheritdoc />
    public override string Type => FaultTypes.Latency;

    /// <summary>Shortest delay in milliseconds (field <c>minMs</c>, or <c>ms</c> for a fixed delay).</summary>
    public int MinMs { get; }

    /// <summary>Longest delay in milliseconds (field <c>maxMs</c>; defaults to <see cref="MinMs"/>).</summary>
    public int MaxMs { get; }

    /// <summary>When <see langword="false"/> (the default) the delay is cut so it never pushes the invocation past its deadline.</summary>
    public bool AllowPastDeadline { get; }
}
