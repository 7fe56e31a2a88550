namespace ServerlessChaos.Cli.GameDay.Alarms;

/// <summary>
/// The local definitions of the sample API's alarms that the default experiment's hypothesis names.
/// Periods are seconds instead of CloudWatch's minutes so a game day fits in about a minute.
/// </summary>
internal static class SampleAlarms
{
    /// <summary>The p99 latency alarm's name.</summary>
    public const string P99Latency = "sample-api-p99-latency";

    /// <summary>The 5xx rate alarm's name.</summary>
    public const string ServerErrorRate = "sample-api-5xx-rate";

    /// <summary>p99 above 800 ms in 2 of the last 3 five-second periods.</summary>
    public static AlarmDefinition P99LatencyAlarm(TimeSpan? period = null, double thresholdMs = 800) =>
        new(P99Latency, AlarmMetric.P99LatencyMs, thresholdMs, ComparisonOperator.GreaterThanThreshold, period ?? TimeSpan.FromSeconds(5), 3, 2);

    /// <summary>More than 10% 5xx in 2 of the last 3 five-second periods.</summary>
    public static AlarmDefinition ServerErrorRateAlarm(TimeSpan? period = null, double thresholdPercent = 10) =>
        new(ServerErrorRate, AlarmMetric.ServerErrorRatePercent, thresholdPercent, ComparisonOperator.GreaterThanThreshold, period ?? TimeSpan.FromSeconds(5), 3, 2);

    /// <summary>Both alarms with their default settings.</summary>
    public static IReadOnlyList<AlarmDefinition> Defaults { get; } = [P99LatencyAlarm(), ServerErrorRateAlarm()];
}
