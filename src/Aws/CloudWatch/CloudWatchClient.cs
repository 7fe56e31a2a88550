using System.Text.Json;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Aws.CloudWatch;

/// <summary>
/// Amazon CloudWatch over its JSON protocol (AWS JSON 1.0, <c>X-Amz-Target: GraniteServiceVersion20100801.*</c>,
/// <c>x-amzn-query-mode: true</c>), signing name <c>monitoring</c>.
/// </summary>
public sealed class CloudWatchClient
{
    private readonly JsonProtocol _protocol;

    /// <summary>Creates the client.</summary>
    public CloudWatchClient(AwsClientOptions options)
    {
        _protocol = new JsonProtocol(new AwsRequestPipeline(AwsServiceDescription.CloudWatch, options), "GraniteServiceVersion20100801", "1.0", queryCompatible: true);
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _protocol.Pipeline.Endpoint;

    /// <summary>
    /// The named alarms (all pages; more than 100 names are sent 100 per call). A name that does not
    /// exist is simply absent from the result: compare with what you asked for.
    /// </summary>
    /// <param name="alarmNames">The alarm names.</param>
    /// <param name="includeCompositeAlarms">Also return composite alarms (CloudWatch returns only metric alarms unless asked).</param>
    /// <param name="pageSize">MaxRecords per call (1–100), or null for the service default.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<IReadOnlyList<CloudWatchAlarm>> DescribeAlarmsAsync(IReadOnlyList<string> alarmNames, bool includeCompositeAlarms = false, int? pageSize = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(alarmNames);
        if (pageSize is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), $"pageSize must be between 1 and 100 (was {pageSize})");
        }

        var alarms = new List<CloudWatchAlarm>();
        foreach (var batch in alarmNames.Chunk(100))
        {
            var pages = _protocol.Pipeline.PaginateAsync(
                "DescribeAlarms",
                (token, ct) => _protocol.CallAsync(
                    "DescribeAlarms",
                    w =>
                    {
                        w.WriteStartArray("AlarmNames");
                        foreach (var name in batch)
                        {
                            w.WriteStringValue(name);
                        }

                        w.WriteEndArray();
                        if (includeCompositeAlarms)
                        {
                            w.WriteStartArray("AlarmTypes");
                            w.WriteStringValue("CompositeAlarm");
                            w.WriteStringValue("MetricAlarm");
                            w.WriteEndArray();
                        }

                        if (pageSize is not null)
                        {
                            w.WriteNumber("MaxRecords", pageSize.Value);
                        }

                        if (token is not null)
                        {
                            w.WriteString("NextToken", token);
                        }
                    },
                    root => (
                        Json.Array(root, "MetricAlarms", "").Select(a => ReadAlarm(Json.ExpectObject(a.Item, a.Path), a.Path, composite: false))
                            .Concat(Json.Array(root, "CompositeAlarms", "").Select(a => ReadAlarm(Json.ExpectObject(a.Item, a.Path), a.Path, composite: true)))
                            .ToList(),
                        Json.String(root, "NextToken", "")),
                    ct),
                cancellationToken);
            await foreach (var alarm in pages.ConfigureAwait(false))
            {
                alarms.Add(alarm);
            }
        }

        return alarms;
    }

    /// <summary>Publishes metric values (sent 1000 per call, the service limit).</summary>
    public async Task PutMetricDataAsync(string metricNamespace, IReadOnlyList<CloudWatchMetricDatum> data, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metricNamespace);
        ArgumentNullException.ThrowIfNull(data);
        for (var i = 0; i < data.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(data[i].MetricName))
            {
                throw new ArgumentException($"data[{i}].MetricName must not be empty", nameof(data));
            }

            if (!double.IsFinite(data[i].Value))
            {
                throw new ArgumentException($"data[{i}].Value must be a finite number (was {data[i].Value})", nameof(data));
            }
        }

        foreach (var batch in data.Chunk(1000))
        {
            await _protocol.CallAsync(
                "PutMetricData",
                w =>
                {
                    w.WriteString("Namespace", metricNamespace);
                    w.WriteStartArray("MetricData");
                    foreach (var datum in batch)
                    {
                        WriteDatum(w, datum);
                    }

                    w.WriteEndArray();
                },
                static _ => true,
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static void WriteDatum(Utf8JsonWriter w, CloudWatchMetricDatum datum)
    {
        // Member order as the service model lists it, so the bytes match the AWS SDKs'.
        w.WriteStartObject();
        w.WriteString("MetricName", datum.MetricName);
        if (datum.Dimensions.Count > 0)
        {
            w.WriteStartArray("Dimensions");
            foreach (var dimension in datum.Dimensions)
            {
                w.WriteStartObject();
                w.WriteString("Name", dimension.Name);
                w.WriteString("Value", dimension.Value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (datum.Timestamp is { } timestamp)
        {
            // JSON protocols send timestamps as epoch seconds.
            var milliseconds = timestamp.ToUnixTimeMilliseconds();
            if (milliseconds % 1000 == 0)
            {
                w.WriteNumber("Timestamp", milliseconds / 1000);
            }
            else
            {
                w.WriteNumber("Timestamp", milliseconds / 1000.0);
            }
        }

        w.WriteNumber("Value", datum.Value);
        if (datum.Unit is not null)
        {
            w.WriteString("Unit", datum.Unit);
        }

        w.WriteEndObject();
    }

    private static CloudWatchAlarm ReadAlarm(JsonElement e, string path, bool composite) => new()
    {
        Name = Json.RequiredString(e, "AlarmName", path),
        Arn = Json.String(e, "AlarmArn", path),
        IsComposite = composite,
        StateValue = Json.RequiredString(e, "StateValue", path),
        StateReason = Json.String(e, "StateReason", path),
        StateUpdatedTimestamp = Json.Timestamp(e, "StateUpdatedTimestamp", path),
        MetricName = Json.String(e, "MetricName", path),
        Namespace = Json.String(e, "Namespace", path),
        Dimensions = Json.Array(e, "Dimensions", path)
            .Select(d => new CloudWatchDimension(Json.RequiredString(Json.ExpectObject(d.Item, d.Path), "Name", d.Path), Json.String(d.Item, "Value", d.Path) ?? ""))
            .ToList(),
        Statistic = Json.String(e, "Statistic", path),
        ExtendedStatistic = Json.String(e, "ExtendedStatistic", path),
        Period = Json.Int(e, "Period", path),
        EvaluationPeriods = Json.Int(e, "EvaluationPeriods", path),
        DatapointsToAlarm = Json.Int(e, "DatapointsToAlarm", path),
        Threshold = Json.Double(e, "Threshold", path),
        ComparisonOperator = Json.String(e, "ComparisonOperator", path),
        TreatMissingData = Json.String(e, "TreatMissingData", path),
        AlarmRule = Json.String(e, "AlarmRule", path),
    };
}
