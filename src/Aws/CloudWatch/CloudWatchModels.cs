namespace ServerlessChaos.Aws.CloudWatch;

/// <summary>The state values of an alarm.</summary>
public static class CloudWatchAlarmState
{
    /// <summary>Within its threshold.</summary>
    public const string Ok = "OK";

    /// <summary>Breaching its threshold.</summary>
    public const string Alarm = "ALARM";

    /// <summary>Not enough data to decide.</summary>
    public const string InsufficientData = "INSUFFICIENT_DATA";
}

/// <summary>An alarm as DescribeAlarms returns it (metric or composite).</summary>
public sealed record CloudWatchAlarm
{
    /// <summary>The alarm name.</summary>
    public required string Name { get; init; }

    /// <summary>The alarm ARN.</summary>
    public string? Arn { get; init; }

    /// <summary>True for a composite alarm (then the metric fields are null and <see cref="AlarmRule"/> is set).</summary>
    public bool IsComposite { get; init; }

    /// <summary><c>OK</c>, <c>ALARM</c> or <c>INSUFFICIENT_DATA</c> (see <see cref="CloudWatchAlarmState"/>).</summary>
    public required string StateValue { get; init; }

    /// <summary>Why the alarm is in its state, as CloudWatch wrote it.</summary>
    public string? StateReason { get; init; }

    /// <summary>When the state last changed.</summary>
    public DateTimeOffset? StateUpdatedTimestamp { get; init; }

    /// <summary>The metric name.</summary>
    public string? MetricName { get; init; }

    /// <summary>The metric namespace, e.g. <c>AWS/Lambda</c>.</summary>
    public string? Namespace { get; init; }

    /// <summary>The metric dimensions.</summary>
    public IReadOnlyList<CloudWatchDimension> Dimensions { get; init; } = [];

    /// <summary>The statistic, e.g. <c>Sum</c> (null when an extended statistic is used).</summary>
    public string? Statistic { get; init; }

    /// <summary>The percentile statistic, e.g. <c>p99</c>.</summary>
    public string? ExtendedStatistic { get; init; }

    /// <summary>The period in seconds.</summary>
    public int? Period { get; init; }

    /// <summary>How many periods are evaluated.</summary>
    public int? EvaluationPeriods { get; init; }

    /// <summary>How many breaching datapoints within them trigger ALARM (null: all of them).</summary>
    public int? DatapointsToAlarm { get; init; }

    /// <summary>The threshold.</summary>
    public double? Threshold { get; init; }

    /// <summary>e.g. <c>GreaterThanOrEqualToThreshold</c>.</summary>
    public string? ComparisonOperator { get; init; }

    /// <summary>How missing data is treated: <c>missing</c>, <c>breaching</c>, <c>notBreaching</c>, <c>ignore</c>.</summary>
    public string? TreatMissingData { get; init; }

    /// <summary>The rule of a composite alarm.</summary>
    public string? AlarmRule { get; init; }

    /// <summary>The worst-case time from a breach starting to the alarm firing: period × evaluation periods.</summary>
    public TimeSpan? WorstCaseDetectionTime => Period is { } p && EvaluationPeriods is { } n ? TimeSpan.FromSeconds((double)p * n) : null;
}

/// <summary>A metric dimension.</summary>
/// <param name="Name">The dimension name, e.g. <c>FunctionName</c>.</param>
/// <param name="Value">Its value.</param>
public sealed record CloudWatchDimension(string Name, string Value);

/// <summary>One value for PutMetricData.</summary>
public sealed record CloudWatchMetricDatum
{
    /// <summary>The metric name.</summary>
    public required string MetricName { get; init; }

    /// <summary>The value.</summary>
    public required double Value { get; init; }

    /// <summary>The unit, e.g. <c>Count</c> or <c>Milliseconds</c>; null for none.</summary>
    public string? Unit { get; init; }

    /// <summary>When it was measured; null for "now" (the service's clock).</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Its dimensions.</summary>
    public IReadOnlyList<CloudWatchDimension> Dimensions { get; init; } = [];
}
