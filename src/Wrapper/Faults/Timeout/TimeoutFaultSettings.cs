using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>Hold the invocation until <see cref="BufferMs"/> before its deadline, then let the handler run into it.</summary>
internal sealed class TimeoutFaultSettings : FaultSettings
{
    /// <summary>Default buffer before the deadline: 50 ms.</summary>
    public const int DefaultBufferMs = 50;

    internal TimeoutFaultSettings(double rate, IReadOnlyList<EventMatch> match, int bufferMs)
        : base(rate, match) => BufferMs = bufferMs;

    /// <inheritdoc />
    public override string Type => FaultTypes.Timeout;

    /// <summary>Milliseconds before the deadline at which the hold ends, 0–60 000. Defaults to 50.</summary>
    public int BufferMs { get; }
}
