using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ServerlessChaos.Wrapper.Telemetry;

/// <summary>Who and what a telemetry record is about.</summary>
internal readonly record struct InvocationIdentity(string? FunctionName, string? RequestId, string? ExperimentId);

/// <summary>
/// Writes one structured JSON log line and one CloudWatch Embedded Metric Format record per injected fault, and one
/// line per wrapper problem. Lines are written whole so concurrent invocations never interleave them.
/// </summary>
/// <remarks>
/// An injected fault is on the invocation's path, so its two records are built without allocating: one JSON buffer
/// and writer reused under the lock, the constant part of the EMF record made once, the timestamp formatted in place.
/// Each record is one <c>WriteLine</c> (one CloudWatch Logs event). To writers of the framework (the console's, a
/// <see cref="StreamWriter"/>, a <see cref="StringWriter"/>) it goes as a span, whose <c>WriteLine</c> is one write
/// there; any other writer (Lambda's managed runtime replaces the console's with its own) gets the
/// <c>WriteLine(string)</c> it is known to ship as one event, at the price of that string.
/// </remarks>
internal sealed class ChaosTelemetry
{
    public const string MetricNamespace = "ServerlessChaos";
    public const string MetricName = "FaultsInjected";

    /// <summary>The metric a dry run counts instead, so alarms on injected faults stay quiet.</summary>
    public const string DryRunMetricName = "FaultsDryRun";


    private readonly TextWriter? _writer;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private Utf8JsonWriter? _json;
    private char[] _chars = new char[1024];

    public ChaosTelemetry(TextWriter? writer, TimeProvider time)
    {
        _writer = writer;
        _time = time;
    }

    private TextWriter Writer => _writer ?? Console.Out;

    public void FaultInjected(string faultType, InvocationIdentity who, Action<Utf8JsonWriter>? details = null, bool dryRun = false) =>
        FaultInjected(faultType, who, details, details is null ? null : static (json, write) => write!(json), dryRun);

    /// <summary>
    /// Logs and counts one fault; <paramref name="details"/> writes the log line's <c>details</c> from
    /// <paramref name="state"/> (a static lambda: nothing is captured, so nothing is allocated per call).
    /// </summary>
    public void FaultInjected<TState>(string faultType, InvocationIdentity who, TState state, Action<Utf8JsonWriter, TState>? details, bool dryRun = false)
    {
        var now = _time.GetUtcNow();
        try
        {
            lock (_gate)
            {
                var writer = Writer;
                var json = Start();
                WriteHeader(json, now, dryRun ? "INFO" : "WARN");
                Span<char> message = stackalloc char[128];
                json.WriteString("message", FaultMessage(message, faultType, dryRun));
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
                    details(json, state);
                    json.WriteEndObject();
                }

                // Two writes: Lambda ships each write as one log event, and CloudWatch extracts EMF only from an event that is one EMF document.
                Finish(writer, json);

                var metric = dryRun ? DryRunMetricName : MetricName;
                json = Start();
                json.WriteStartObject("_aws");
                json.WriteNumber("Timestamp", now.ToUnixTimeMilliseconds());
                json.WritePropertyName("CloudWatchMetrics");
                json.WriteRawValue(dryRun ? Directives.DryRun : Directives.Injected, skipInputValidation: true);
                json.WriteEndObject();
                json.WriteString("FaultType", faultType);
                json.WriteString("FunctionName", who.FunctionName ?? "unknown");
                json.WriteString("ExperimentId", who.ExperimentId);
                json.WriteString("RequestId", who.RequestId);
                json.WriteNumber(metric, 1);
                Finish(writer, json);
            }
        }
        catch (Exception)
        {
            // Telemetry must never break the function it reports on.
        }
    }

    /// <summary>A wrapper-internal problem: chaos is off for now, the function runs normally.</summary>
    public void Problem(string message, string source, IEnumerable<string>? errors = null, Exception? exception = null)
    {
        var now = _time.GetUtcNow();
        try
        {
            lock (_gate)
            {
                var json = Start();
                WriteHeader(json, now, "ERROR");
                json.WriteString("message", message);
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

                Finish(Writer, json);
            }
        }
        catch (Exception)
        {
            // Telemetry must never break the function it reports on.
        }
    }

    private static ReadOnlySpan<char> FaultMessage(Span<char> destination, string faultType, bool dryRun)
    {
        var written = dryRun
            ? destination.TryWrite(CultureInfo.InvariantCulture, $"ServerlessChaos would have injected a {faultType} fault (dry run: nothing injected)", out var count)
            : destination.TryWrite(CultureInfo.InvariantCulture, $"ServerlessChaos injected a {faultType} fault", out count);
        return written
            ? destination[..count]
            : (dryRun ? $"ServerlessChaos would have injected a {faultType} fault (dry run: nothing injected)" : $"ServerlessChaos injected a {faultType} fault");
    }

    private static void WriteHeader(Utf8JsonWriter json, DateTimeOffset now, string level)
    {
        Span<char> stamp = stackalloc char[40];
        json.WriteString("timestamp", now.UtcDateTime.TryFormat(stamp, out var length, "O", CultureInfo.InvariantCulture)
            ? stamp[..length]
            : now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("level", level);
        json.WriteString("logger", "ServerlessChaos");
    }

    /// <summary>The reused JSON writer on an emptied buffer, the record's object opened (call under the lock).</summary>
    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        if (_json is null)
        {
            _json = new Utf8JsonWriter(_buffer);
        }
        else
        {
            _json.Reset(_buffer);
        }

        _json.WriteStartObject();
        return _json;
    }

    /// <summary>Closes the record and writes it as one line (call under the lock).</summary>
    private void Finish(TextWriter writer, Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        var bytes = _buffer.WrittenSpan;
        if (!WritesSpansWhole(writer))
        {
            writer.WriteLine(Encoding.UTF8.GetString(bytes));
            writer.Flush();
            return;
        }

        var needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        var count = Encoding.UTF8.GetChars(bytes, _chars);
        writer.WriteLine(_chars.AsSpan(0, count));
        writer.Flush();
    }

    /// <summary>Framework writers, whose <c>WriteLine(ReadOnlySpan&lt;char&gt;)</c> writes the line and its newline in one go.</summary>
    private static bool WritesSpansWhole(TextWriter writer) =>
        writer is StreamWriter or StringWriter || writer.GetType().Assembly == typeof(TextWriter).Assembly;

    /// <summary>The EMF directives, made on the first fault (not when the wrapper is created: that is on the cold start).</summary>
    private static class Directives
    {
        public static readonly byte[] Injected = MetricsDirective(MetricName);
        public static readonly byte[] DryRun = MetricsDirective(DryRunMetricName);
    }

    private static byte[] MetricsDirective(string metric)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
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
        }

        return buffer.WrittenSpan.ToArray();
    }
}
