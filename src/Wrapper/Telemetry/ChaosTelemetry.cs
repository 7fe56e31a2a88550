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
/// An injected fault is on the invocation's path, so its two records are built without allocating and with little
/// work: one JSON buffer and writer reused under the lock, the member names and the constant values encoded once (the
/// EMF directive, each fault type's message, the last function and experiment), the timestamp formatted in place.
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
    private Dictionary<string, FaultText>? _faultTexts;
    private IdentityText? _identity;

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
                var fault = FaultTextOf(faultType);
                var identity = IdentityTextOf(who);
                var json = Start();
                WriteHeader(json, now, dryRun ? Names.Info : Names.Warn);
                json.WriteString(Names.Message, dryRun ? fault.DryRunMessage : fault.Message);
                json.WriteString(Names.Fault, fault.Type);
                if (dryRun)
                {
                    json.WriteBoolean(Names.DryRun, true);
                }

                WriteText(json, Names.ExperimentId, identity.ExperimentId);
                WriteText(json, Names.Function, identity.Function);
                json.WriteString(Names.RequestId, who.RequestId);
                if (details is not null)
                {
                    json.WriteStartObject(Names.Details);
                    details(json, state);
                    json.WriteEndObject();
                }

                // Two writes: Lambda ships each write as one log event, and CloudWatch extracts EMF only from an event that is one EMF document.
                Finish(writer, json);

                json = Start();
                json.WriteStartObject(Names.Aws);
                json.WriteNumber(Names.Timestamp, now.ToUnixTimeMilliseconds());
                json.WritePropertyName(Names.CloudWatchMetrics);
                json.WriteRawValue(dryRun ? Directives.DryRun : Directives.Injected, skipInputValidation: true);
                json.WriteEndObject();
                json.WriteString(Names.FaultType, fault.Type);
                WriteText(json, Names.FunctionName, identity.FunctionOrUnknown);
                WriteText(json, Names.ExperimentIdDimension, identity.ExperimentId);
                json.WriteString(Names.RequestIdDimension, who.RequestId);
                json.WriteNumber(dryRun ? Names.DryRunMetric : Names.InjectedMetric, 1);
                Finish(writer, json);
            }
        }
        catch (Exception)
        {
            // Telemetry must never break the function it reports on.
        }
    }

    /// <summary>A fault type's encoded texts, made the first time it is reported (call under the lock).</summary>
    private FaultText FaultTextOf(string faultType)
    {
        _faultTexts ??= new Dictionary<string, FaultText>(StringComparer.Ordinal);
        if (!_faultTexts.TryGetValue(faultType, out var text))
        {
            // Fault types are a fixed set (FaultSettings.Type), so this holds a handful of entries.
            text = new FaultText(
                JsonEncodedText.Encode(faultType),
                JsonEncodedText.Encode(FaultMessage(faultType, dryRun: false)),
                JsonEncodedText.Encode(FaultMessage(faultType, dryRun: true)));
            _faultTexts[faultType] = text;
        }

        return text;
    }

    /// <summary>The function's and experiment's encoded texts: the last ones are kept, as they change only with the settings (call under the lock).</summary>
    private IdentityText IdentityTextOf(InvocationIdentity who)
    {
        var last = _identity;
        if (last is not null && string.Equals(last.FunctionName, who.FunctionName, StringComparison.Ordinal)
            && string.Equals(last.ExperimentIdText, who.ExperimentId, StringComparison.Ordinal))
        {
            return last;
        }

        last = new IdentityText(who.FunctionName, who.ExperimentId, Encoded(who.FunctionName), Encoded(who.ExperimentId),
            JsonEncodedText.Encode(who.FunctionName ?? "unknown"));
        _identity = last;
        return last;
    }

    private static JsonEncodedText? Encoded(string? value) => value is null ? null : JsonEncodedText.Encode(value);

    /// <summary>The value, or JSON null, as <c>WriteString(name, (string?)null)</c> writes it.</summary>
    private static void WriteText(Utf8JsonWriter json, JsonEncodedText name, JsonEncodedText? value)
    {
        if (value is { } text)
        {
            json.WriteString(name, text);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private sealed record FaultText(JsonEncodedText Type, JsonEncodedText Message, JsonEncodedText DryRunMessage);

    private sealed record IdentityText(
        string? FunctionName, string? ExperimentIdText, JsonEncodedText? Function, JsonEncodedText? ExperimentId, JsonEncodedText FunctionOrUnknown);

    /// <summary>A wrapper-internal problem: chaos is off for now, the function runs normally.</summary>
    public void Problem(string message, string source, IEnumerable<string>? errors = null, Exception? exception = null)
    {
        var now = _time.GetUtcNow();
        try
        {
            lock (_gate)
            {
                var json = Start();
                WriteHeader(json, now, Names.Error);
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

    private static string FaultMessage(string faultType, bool dryRun) => dryRun
        ? $"ServerlessChaos would have injected a {faultType} fault (dry run: nothing injected)"
        : $"ServerlessChaos injected a {faultType} fault";

    /// <summary>The first members of a log line: its time (round-trip format "O", formatted as UTF-8 in place), level and logger.</summary>
    private static void WriteHeader(Utf8JsonWriter json, DateTimeOffset now, JsonEncodedText level)
    {
        Span<byte> stamp = stackalloc byte[40];
        if (now.UtcDateTime.TryFormat(stamp, out var length, "O", CultureInfo.InvariantCulture))
        {
            json.WriteString(Names.TimestampField, stamp[..length]);
        }
        else
        {
            json.WriteString(Names.TimestampField, now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        json.WriteString(Names.Level, level);
        json.WriteString(Names.Logger, Names.ServerlessChaos);
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

    /// <summary>The member names and constant values of the records, encoded on the first record (not on the cold start).</summary>
    private static class Names
    {
        public static readonly JsonEncodedText TimestampField = JsonEncodedText.Encode("timestamp");
        public static readonly JsonEncodedText Level = JsonEncodedText.Encode("level");
        public static readonly JsonEncodedText Warn = JsonEncodedText.Encode("WARN");
        public static readonly JsonEncodedText Info = JsonEncodedText.Encode("INFO");
        public static readonly JsonEncodedText Error = JsonEncodedText.Encode("ERROR");
        public static readonly JsonEncodedText Logger = JsonEncodedText.Encode("logger");
        public static readonly JsonEncodedText ServerlessChaos = JsonEncodedText.Encode("ServerlessChaos");
        public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
        public static readonly JsonEncodedText Fault = JsonEncodedText.Encode("fault");
        public static readonly JsonEncodedText DryRun = JsonEncodedText.Encode("dryRun");
        public static readonly JsonEncodedText ExperimentId = JsonEncodedText.Encode("experimentId");
        public static readonly JsonEncodedText Function = JsonEncodedText.Encode("function");
        public static readonly JsonEncodedText RequestId = JsonEncodedText.Encode("requestId");
        public static readonly JsonEncodedText Details = JsonEncodedText.Encode("details");
        public static readonly JsonEncodedText Aws = JsonEncodedText.Encode("_aws");
        public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("Timestamp");
        public static readonly JsonEncodedText CloudWatchMetrics = JsonEncodedText.Encode("CloudWatchMetrics");
        public static readonly JsonEncodedText FaultType = JsonEncodedText.Encode("FaultType");
        public static readonly JsonEncodedText FunctionName = JsonEncodedText.Encode("FunctionName");
        public static readonly JsonEncodedText ExperimentIdDimension = JsonEncodedText.Encode("ExperimentId");
        public static readonly JsonEncodedText RequestIdDimension = JsonEncodedText.Encode("RequestId");
        public static readonly JsonEncodedText InjectedMetric = JsonEncodedText.Encode(MetricName);
        public static readonly JsonEncodedText DryRunMetric = JsonEncodedText.Encode(DryRunMetricName);
    }

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
