using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>How a duplicateRecords fault repeats what the event source delivered.</summary>
internal enum DuplicateMode
{
    /// <summary>A share of the batch's records appears a second time, at the end of the batch (same message id / sequence number).</summary>
    Records,

    /// <summary>The whole batch is handed to the handler twice in one invocation, as a redelivery would.</summary>
    Batch,
}

/// <summary>At-least-once delivery made visible: records seen twice, so a handler that is not idempotent shows it.</summary>
internal sealed class DuplicateRecordsFaultSettings : FaultSettings
{
    internal DuplicateRecordsFaultSettings(double rate, IReadOnlyList<EventMatch> match, double share, DuplicateMode mode)
        : base(rate, match)
    {
        Share = share;
        Mode = mode;
    }

    /// <inheritdoc />
    public override string Type => FaultTypes.DuplicateRecords;

    /// <summary>Share of the batch's records repeated in <see cref="DuplicateMode.Records"/> mode, 0–1 (rounded up, at least one). Defaults to 0.5.</summary>
    public double Share { get; }

    /// <summary>Records repeated inside the batch, or the batch handed over twice. Defaults to <see cref="DuplicateMode.Records"/>.</summary>
    public DuplicateMode Mode { get; }
}
