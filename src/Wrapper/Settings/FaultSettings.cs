namespace ServerlessChaos.Wrapper.Settings;

/// <summary>The fault type names used in the <c>type</c> field of a fault.</summary>
internal static class FaultTypes
{
    /// <summary>Delay before the handler runs.</summary>
    public const string Latency = "latency";

    /// <summary>Throw instead of running the handler.</summary>
    public const string Exception = "exception";

    /// <summary>Return an HTTP response with a chosen status code.</summary>
    public const string StatusCode = "statusCode";

    /// <summary>Fail or slow outbound HTTP calls to chosen hosts.</summary>
    public const string Dependency = "dependency";

    /// <summary>Fill /tmp while the handler runs.</summary>
    public const string DiskSpace = "diskSpace";

    /// <summary>Report part of an SQS batch as failed.</summary>
    public const string SqsBatchFailure = "sqsBatchFailure";

    /// <summary>Hold the invocation until just before its deadline.</summary>
    public const string Timeout = "timeout";

    /// <summary>Replace or garble the body of the handler's HTTP response after it ran.</summary>
    public const string Corruption = "corruption";

    /// <summary>Shift the clock the function reads through <c>ChaosWrapper.Time</c>.</summary>
    public const string ClockSkew = "clockSkew";

    /// <summary>Hold back records of an SQS / Kinesis / DynamoDB Streams batch: reported as failed, delivered again later.</summary>
    public const string DelayRecords = "delayRecords";

    /// <summary>Repeat records of a batch, or hand the whole batch over twice.</summary>
    public const string DuplicateRecords = "duplicateRecords";

    /// <summary>Shuffle or reverse the records of a batch.</summary>
    public const string ReorderRecords = "reorderRecords";

    /// <summary>Every type, in the order faults are applied within one invocation.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Latency, Timeout, DiskSpace, Dependency, StatusCode, Exception, Corruption, ClockSkew, DelayRecords, DuplicateRecords, ReorderRecords, SqsBatchFailure];
}

/// <summary>One configured fault: its type, the share of invocations it hits, and optional event conditions.</summary>
internal abstract class FaultSettings
{
    private protected FaultSettings(double rate, IReadOnlyList<EventMatch> match)
    {
        Rate = rate;
        Match = match;
    }

    /// <summary>The fault type (one of <see cref="FaultTypes"/>).</summary>
    public abstract string Type { get; }

    /// <summary>Probability in [0, 1] that an invocation (or, for dependency faults, a matching call) gets this fault.</summary>
    public double Rate { get; }

    /// <summary>Conditions on the event; all must hold. Empty: every invocation is eligible.</summary>
    public IReadOnlyList<EventMatch> Match { get; }

    /// <summary>
    /// Dry run (field <c>dryRun</c> on the fault or the document): when the fault would fire it is logged and counted,
    /// marked <c>"dryRun":true</c>, and nothing is injected.
    /// </summary>
    public bool DryRun { get; internal set; }
}
