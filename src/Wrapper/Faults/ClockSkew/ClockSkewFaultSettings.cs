using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// Shift the clock the function reads through <see cref="ChaosWrapper.Time"/> by <see cref="OffsetMs"/> (plus
/// <see cref="DriftMs"/> more on every further invocation it hits) while the handler runs. Nothing else in the process
/// sees the shift: not <see cref="DateTimeOffset.UtcNow"/>, not timers, not the wrapper's own logs.
/// </summary>
internal sealed class ClockSkewFaultSettings : FaultSettings
{
    /// <summary>Largest accepted shift either way: 366 days in milliseconds (a certificate's year plus a leap day).</summary>
    public const long MaxOffsetMs = 366L * 24 * 60 * 60 * 1000;

    internal ClockSkewFaultSettings(double rate, IReadOnlyList<EventMatch> match, long offsetMs, long driftMs)
        : base(rate, match)
    {
        OffsetMs = offsetMs;
        DriftMs = driftMs;
    }

    /// <inheritdoc />
    public override string Type => FaultTypes.ClockSkew;

    /// <summary>Milliseconds the clock is shifted on the first invocation hit: positive is ahead, negative behind. Defaults to 0.</summary>
    public long OffsetMs { get; }

    /// <summary>Milliseconds added to the shift on each further invocation hit in the same execution environment. Defaults to 0 (fixed).</summary>
    public long DriftMs { get; }

    /// <summary>The shift on the <paramref name="hit"/>-th invocation hit (0 for the first), held within ±<see cref="MaxOffsetMs"/>.</summary>
    internal long OffsetAt(long hit)
    {
        var offset = OffsetMs + ((decimal)DriftMs * hit);
        return (long)Math.Clamp(offset, -MaxOffsetMs, MaxOffsetMs);
    }
}
