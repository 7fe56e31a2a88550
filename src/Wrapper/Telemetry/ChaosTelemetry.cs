using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ServerlessChaos.Wrapper.Telemetry;

/// <summary>Who and what a telemetry record is about.</summary>
internal readonly record struct InvocationIdentity(string? FunctionName, string? RequestId, string? ExperimentId);

/// <summary>
/// Writes one structured JSON log line and one CloudWatch Embedded Metric Format record per injected fault, and one
/// line per wrapper problem. Lines are written whole so concurrent invocations never interleave them.
/// </summary>
internal sealed class ChaosTelemetry
{
    public const string MetricNamespace = "ServerlessChaos";
    public const string MetricName = "FaultsInjected";

    /// <summary>The metric a dry run counts instead, so alarms on injected faults stay quiet.</summary>
    public const string DryRunMetricName = "FaultsDryRun";

    private readonly TextWriter? _writer;
    private readonly TimeProvider _time;
    private readonly object _gate = new();

    public ChaosTelemetry(TextWriter? writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    private TextWriter Writer => _writer ?? Console.Out;

    public void FaultInjected(string faultType, InvocationIdentity who, Action<Utf8JsonWriter>? details = null, bool dryRun = false)
    {
        var now = _time.GetUtcNow();
        var metric = dryRun ? DryRunMetricName : MetricName;
        var log = Build(json =>
        {
            WriteHeader(json, now, dryRun ? "INFO" : "WARN", dryRun
                ? $"ServerlessChaos would have injected a {faultType} fault (dry run: nothing injected)"
                : $"ServerlessChaos injected a {faultType} fault");
            json.WriteString("fault", faultType);
            if (dryRun)
            {
                json.WriteBoolean("dryRun", true);
            }

            json.WriteString("experimentId", who.ExperimentId);
            json.WriteString("function", who.FunctionName);
            json.WriteString("requestId", who.RequestId);
            if (details is not null)
            {
                json.WriteStartObject("details");
                details(json);
                json.WriteEndObject();
            }
        });
        var emf = Build(json =>
        {
            json.WriteStartObject("_aws");
            json.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics");
            json.WriteStartObject();
            json.WriteString("Namespace", MetricNamespace);
            json.WriteStartArray("Dimensions");
            json.WriteStartArray();
            json.WriteStringValue("FaultType");
            json.WriteStringValue("FunctionName");
            json.WriteEndArray();
            json.WriteEndArray();
            json.WriteStartArray("Metrics");
            json.WriteStartObject();
            json.WriteString("Name", metric);
            json.WriteString("Unit", "Count");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteString("FaultType", faultType);
            json.WriteString("FunctionName", who.FunctionName ?? "unknown");
            json.WriteString("ExperimentId", who.ExperimentId);
            json.WriteString("RequestId", who.RequestId);
            json.WriteNumber(metric, 1);
        });
        // Two writes: Lambda ships each write as one log event, and CloudWatch extracts EMF only from an event that is one EMF document.
        lock (_gate)
        {
            Write(log);
            Write(emf);
        }
    }

    /// <summary>A wrapper-internal problem: chaos is off for now, the function runs normally.</summary>
    public void Problem(string message, string source, IEnumerable<string>? errors = null, Exception? exception = null)
    {
        var now = _time.GetUtcNow();
        Write(Build(json =>
        {
            WriteHeader(json, now, "ERROR", message);
            json.WriteString("source", source);
            if (errors is not null)
            {
                json.WriteStartArray("errors");
                foreach (var error in errors)
                {
                    json.WriteStringValue(error);
                }

                json.WriteEndArray();
            }

            if (exception is not null)
            {
                json.WriteString("exception", $"{exception.GetType().Name}: {exception.Message}");
            }
        }));
    }

    private static void WriteHeader(Utf8JsonWriter json, DateTimeOffset now, string level, string message)
    {
        json.WriteString("timestamp", now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("level", level);
        json.WriteString("logger", "ServerlessChaos");
        json.WriteString("message", message);
    }

    private static string Build(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            body(json);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void Write(string lines)
    {
        try
        {
            lock (_gate)
            {
                Writer.WriteLine(lines);
                Writer.Flush();
            }
        }
        catch (Exception)
        {
            // Telemetry must never break the function it reports on.
        }
    }
}
