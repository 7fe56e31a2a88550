using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// The clock the wrapper offers the function (<see cref="ChaosWrapper.Time"/>): the wrapper's time provider, shifted by
/// a clockSkew fault only on the async flow of the invocation it hit. Timestamps and timers are never shifted, so
/// elapsed-time measurements and delays stay true while wall-clock reads (token expiry, certificate validity) move.
/// </summary>
internal sealed class FunctionClock : TimeProvider
{
    private const int MaxTrackedFaults = 64;

    private readonly TimeProvider _inner;
    private readonly AsyncLocal<StrongBox?> _offset = new();
    private readonly Dictionary<string, long> _hits = new(StringComparer.Ordinal);

    public FunctionClock(TimeProvider inner) => _inner = inner;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override long TimestampFrequency => _inner.TimestampFrequency;

    /// <summary>The shift in force on this async flow (zero outside a skewed invocation).</summary>
    public TimeSpan CurrentOffset => _offset.Value?.Offset ?? TimeSpan.Zero;

    public override DateTimeOffset GetUtcNow()
    {
        var now = _inner.GetUtcNow();
        return _offset.Value is { } box ? Shift(now, box.Offset) : now;
    }

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>
    /// Shifts the clock for the current async flow. Call it from the method that then awaits the handler: an
    /// <see cref="AsyncLocal{T}"/> set inside a called async method would not flow back.
    /// </summary>
    public void Skew(TimeSpan offset) => _offset.Value = new StrongBox(offset);

    /// <summary>
    /// Which hit of this fault the current invocation is (0 for the first). Counted per fault of the settings in force,
    /// so a drifting skew keeps growing across settings refreshes and starts over when the settings change.
    /// </summary>
    public long NextHit(ChaosSettings settings, int index, ClockSkewFaultSettings fault)
    {
        var key = $"{settings.ExperimentId}|{settings.ExpiresAt:O}|{index}|{fault.OffsetMs}|{fault.DriftMs}|{fault.Rate}";
        lock (_hits)
        {
            if (!_hits.TryGetValue(key, out var hit) && _hits.Count >= MaxTrackedFaults)
            {
                // Old experiments' counters are of no use any more; forgetting them bounds the memory.
                _hits.Clear();
            }

            _hits[key] = hit + 1;
            return hit;
        }
    }

    private static DateTimeOffset Shift(DateTimeOffset now, TimeSpan offset)
    {
        var ticks = now.UtcTicks + offset.Ticks;
        return new DateTimeOffset(Math.Clamp(ticks, DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
    }

    private sealed class StrongBox(TimeSpan offset)
    {
        public TimeSpan Offset { get; } = offset;
    }
}
