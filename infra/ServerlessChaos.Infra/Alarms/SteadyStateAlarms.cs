using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.Lambda;
using Constructs;

namespace ServerlessChaos.Infra.Alarms;

/// <summary>
/// Hypothesis alarms for the usual steady-state signals. Preflight refuses INSUFFICIENT_DATA, so "no traffic" counts
/// as healthy for error and latency alarms (missing data is not breaching); a missing running-task count is breaching.
/// </summary>
public static class SteadyStateAlarms
{
    /// <summary>API Gateway 5XX responses per minute at or above <paramref name="threshold"/>.</summary>
    public static Alarm ApiGateway5xx(Construct scope, string alarmName, IRestApi api, double threshold = 1) =>
        Create(scope, alarmName, $"{api.RestApiName}: 5XX responses per minute",
            new Metric(new MetricProps
            {
                Namespace = "AWS/ApiGateway",
                MetricName = "5XXError",
                DimensionsMap = new Dictionary<string, string> { ["ApiName"] = api.RestApiName },
                Statistic = "Sum",
                Period = Duration.Minutes(1),
            }),
            threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING);

    /// <summary>API Gateway p99 latency above <paramref name="milliseconds"/>.</summary>
    public static Alarm ApiGatewayLatency(Construct scope, string alarmName, IRestApi api, double milliseconds = 1000) =>
        Create(scope, alarmName, $"{api.RestApiName}: p99 latency above {milliseconds} ms",
            new Metric(new MetricProps
            {
                Namespace = "AWS/ApiGateway",
                MetricName = "Latency",
                DimensionsMap = new Dictionary<string, string> { ["ApiName"] = api.RestApiName },
                Statistic = "p99",
                Period = Duration.Minutes(1),
            }),
            milliseconds, ComparisonOperator.GREATER_THAN_THRESHOLD, TreatMissingData.NOT_BREACHING);

    /// <summary>Lambda errors per minute at or above <paramref name="threshold"/>.</summary>
    public static Alarm LambdaErrors(Construct scope, string alarmName, IFunction function, double threshold = 1) =>
        Create(scope, alarmName, "Lambda errors per minute",
            function.MetricErrors(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Sum" }),
            threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING);

    /// <summary>Lambda throttles per minute at or above <paramref name="threshold"/>.</summary>
    public static Alarm LambdaThrottles(Construct scope, string alarmName, IFunction function, double threshold = 1) =>
        Create(scope, alarmName, "Lambda throttles per minute",
            function.MetricThrottles(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Sum" }),
            threshold, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, TreatMissingData.NOT_BREACHING);

    /// <summary>ECS running tasks of a service below <paramref name="minimum"/> (Container Insights metric).</summary>
    public static Alarm EcsRunningTaskCount(Construct scope, string alarmName, string clusterName, string serviceName, double minimum = 1) =>
        Create(scope, alarmName, $"ECS service running fewer than {minimum} tasks",
            new Metric(new MetricProps
            {
                Namespace = "ECS/ContainerInsights",
                MetricName = "RunningTaskCount",
                DimensionsMap = new Dictionary<string, string> { ["ClusterName"] = clusterName, ["ServiceName"] = serviceName },
                Statistic = "Minimum",
                Period = Duration.Minutes(1),
            }),
            minimum, ComparisonOperator.LESS_THAN_THRESHOLD, TreatMissingData.BREACHING);

    private static Alarm Create(
        Construct scope, string alarmName, string description, IMetric metric, double threshold,
        ComparisonOperator comparison, TreatMissingData missingData) =>
        new(scope, alarmName, new AlarmProps
        {
            AlarmName = alarmName,
            AlarmDescription = $"ServerlessChaos hypothesis: {description}",
            Metric = metric,
            Threshold = threshold,
            EvaluationPeriods = 1,
            ComparisonOperator = comparison,
            TreatMissingData = missingData,
        });
}
