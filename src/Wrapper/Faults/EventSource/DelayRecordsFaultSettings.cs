using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// Late delivery: a share of the batch's records is held back — removed from the batch the handler sees and reported in
/// <c>batchItemFailures</c>, so the event source delivers them again later. Needs <c>ReportBatchItemFailures</c> on the
/// event source mapping (without it Lambda ignores the report and the held-back records count as processed).
/// </summary>
internal sealed class DelayRecordsFaultSettings : FaultSettings
{
    internal DelayRecordsFaultSettings(double rate, IReadOnlyList<EventMatch> match, double share)
        : base(rate, match) => Share = share;

    /// <inheritdoc />
    public override string Type => FaultTypes.DelayRecords;

    /// <summary>
    /// Share of the batch's records held back, 0–1 (rounded up, at least one). Standard SQS: chosen at random; Kinesis,
    /// DynamoDB Streams and SQS FIFO: the last ones, because those sources retry from the earliest failure on. Defaults to 0.5.
    /// </summary>
    public double Share { get; }
}
