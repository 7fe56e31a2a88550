using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>After the handler ran, report a share of the SQS batch's messages as failed (<c>batchItemFailures</c>).</summary>
internal sealed class SqsBatchFailureFaultSettings : FaultSettings
{
    internal SqsBatchFailureFaultSettings(double rate, IReadOnlyList<EventMatch> match, double share)
        : base(rate, match) => Share = share;

    /// <inheritdoc />
    public override string Type => FaultTypes.SqsBatchFailure;

    /// <summary>Share of the batch's messages reported failed, 0–1 (rounded up to whole messages). Defaults to 1.</summary>
    public double Share { get; }
}
