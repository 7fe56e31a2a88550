using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>How a reorderRecords fault changes the order of a batch.</summary>
internal enum RecordOrder
{
    /// <summary>A uniformly random order (from the injected randomizer).</summary>
    Shuffle,

    /// <summary>Last record first: every update arrives before what it depends on.</summary>
    Reverse,
}

/// <summary>Out-of-order delivery: the batch's records reach the handler shuffled or reversed.</summary>
internal sealed class ReorderRecordsFaultSettings : FaultSettings
{
    internal ReorderRecordsFaultSettings(double rate, IReadOnlyList<EventMatch> match, RecordOrder order)
        : base(rate, match) => Order = order;

    /// <inheritdoc />
    public override string Type => FaultTypes.ReorderRecords;

    /// <summary>Shuffled or reversed. Defaults to <see cref="RecordOrder.Shuffle"/>.</summary>
    public RecordOrder Order { get; }
}
