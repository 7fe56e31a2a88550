namespace ServerlessChaos.Wrapper.Sources;

/// <summary>
/// The monotonic reading behind cache lifetimes and the "armed until" check, read on every invocation.
/// With the system clock it is <see cref="Environment.TickCount64"/> (a coarse clock, a few nanoseconds to read where
/// a precise timestamp can cost tens); with any other <see cref="TimeProvider"/> (tests, simulations) it is that
/// provider's timestamp, so a fake clock drives everything.
/// </summary>
internal sealed class ChaosClock
{
    private readonly TimeProvider? _custom;

    public ChaosClock(TimeProvider time)
    {
        _custom = ReferenceEquals(time, TimeProvider.System) ? null : time;
        Frequency = _custom?.TimestampFrequency ?? 1000;
    }

    /// <summary>Readings per second.</summary>
    public long Frequency { get; }

    public long Now() => _custom is null ? Environment.TickCount64 : _custom.GetTimestamp();

    /// <summary>The reading <paramref name="span"/> after <paramref name="stamp"/>, saturating instead of overflowing.</summary>
    public long After(long stamp, TimeSpan span)
    {
        if (span <= TimeSpan.Zero)
        {
            return stamp;
        }

        var units = span.TotalSeconds * Frequency;
        return units >= long.MaxValue - stamp ? long.MaxValue : stamp + (long)Math.Ceiling(units);
    }
}
