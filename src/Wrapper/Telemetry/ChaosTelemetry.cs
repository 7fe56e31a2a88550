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
/// work. What stays the same from one invocation to the next (the fault type, its message, the function, the
/// experiment, the EMF directive) is written by the JSON writer once, as UTF-8, and kept per fault type; per record the
/// writer writes only what changes (the time, the request id, the details), each as a value of its own (so escaped
/// exactly as in one document), and the record is those pieces in their order: the same bytes the writer would write
/// member by member. Each record is one <c>WriteLine</c> (one CloudWatch Logs event). To writers of the framework (the
/// console's, a <see cref="StreamWriter"/>, a <see cref="StringWriter"/>) it goes as a span, whose <c>WriteLine</c> is
/// one write there; any other writer (Lambda's managed runtime replaces the console's with its own) gets the
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
    private byte[] _record = [];
    private int _recordLength;
    private Utf8JsonWriter? _json;
    private char[] _chars = new char[1024];
    private Dictionary<(string FaultType, bool DryRun), FaultRecords>? _faultRecords;

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
    /// <remarks>
    /// The log line: <c>{"timestamp":…,"level":…,"logger":…,"message":…,"fault":…[,"dryRun":true],"experimentId":…,
    /// "function":…,"requestId":…[,"details":{…}]}</c>; the EMF record: <c>{"_aws":{"Timestamp":…,"CloudWatchMetrics":[…]},
    /// "FaultType":…,"FunctionName":…,"ExperimentId":…,"RequestId":…,"FaultsInjected":1}</c> (<c>FaultsDryRun</c> for a dry run).
    /// </remarks>
    public void FaultInjected<TState>(string faultType, InvocationIdentity who, TState state, Action<Utf8JsonWriter, TState>? details, bool dryRun = false)
    {
        var now = _time.GetUtcNow();
        try
        {
            lock (_gate)
            {
                var writer = Writer;
                var records = RecordsOf(faultType, dryRun, who);

                // What changes per record, each piece one JSON value written into _buffer, one after the other.
                _buffer.ResetWrittenCount();
                var json = Value();
                WriteTimestamp(json, now);
                var timestamp = Piece(json, 0);
                json = Value();
                json.WriteStringValue(who.RequestId);
                var requestId = Piece(json, timestamp.End.Value);
                var detailsPiece = requestId.End..requestId.End;
                if (details is not null)
                {
                    json = Value();
                    json.WriteStartObject();
                    details(json, state);
                    json.WriteEndObject();
                    detailsPiece = Piece(json, requestId.End.Value);
                }

                json = Value();
                json.WriteNumberValue(now.ToUnixTimeMilliseconds());
                var milliseconds = Piece(json, detailsPiece.End.Value);
                var pieces = _buffer.WrittenSpan;

                // Two writes: Lambda ships each write as one log event, and CloudWatch extracts EMF only from an event that is one EMF document.
                _recordLength = 0;
                Append("{\"timestamp\":"u8);
                Append(pieces[timestamp]);
                Append(records.Line);
                Append(",\"requestId\":"u8);
                Append(pieces[requestId]);
                if (details is not null)
                {
                    Append(",\"details\":"u8);
                    Append(pieces[detailsPiece]);
                }

                Append("}"u8);
                WriteLine(writer, _record.AsSpan(0, _recordLength));

                _recordLength = 0;
                Append("{\"_aws\":{\"Timestamp\":"u8);
                Append(pieces[milliseconds]);
                Append(records.Metric);
                Append(",\"RequestId\":"u8);
                Append(pieces[requestId]);
                Append(records.MetricEnd);
                WriteLine(writer, _record.AsSpan(0, _recordLength));
            }
        }
        catch (Exception)
        {
            // Telemetry must never break the function it reports on.
        }
    }

    /// <summary>Appends one part to the record being put together (call under the lock).</summary>
    private void Append(ReadOnlySpan<byte> part)
    {
        if (_recordLength + part.Length > _record.Length)
        {
            // Made on the first fault, not when the wrapper is created (that is on the cold start).
            Array.Resize(ref _record, Math.Max(Math.Max(_record.Length * 2, 1024), _recordLength + part.Length));
        }

        part.CopyTo(_record.AsSpan(_recordLength));
        _recordLength += part.Length;
    }

    /// <summary>
    /// The constant parts of a fault's records, made the first time (and again when the function or experiment
    /// changes, i.e. with the settings); fault types are a fixed set, so this holds a handful (call under the lock).
    /// </summary>
    private FaultRecords RecordsOf(string faultType, bool dryRun, InvocationIdentity who)
    {
        _faultRecords ??= [];
        if (_faultRecords.TryGetValue((faultType, dryRun), out var records)
            && string.Equals(records.FunctionName, who.FunctionName, StringComparison.Ordinal)
            && string.Equals(records.ExperimentId, who.ExperimentId, StringComparison.Ordinal))
        {
            return records;
        }

        records = BuildRecords(faultType, dryRun, who);
        _faultRecords[(faultType, dryRun)] = records;
        return records;
    }

    /// <summary>Writes the constant parts (a method of its own: the closures below are made only when they are built).</summary>
    private FaultRecords BuildRecords(string faultType, bool dryRun, InvocationIdentity who)
    {
        // The log line's members between the timestamp and the request id.
        var line = Members(json =>
        {
            json.WriteString("level", dryRun ? "INFO" : "WARN");
            json.WriteString("logger", "ServerlessChaos");
            json.WriteString("message", dryRun
                ? $"ServerlessChaos would have injected a {faultType} fault (dry run: nothing injected)"
                : $"ServerlessChaos injected a {faultType} fault");
            json.WriteString("fault", faultType);
            if (dryRun)
            {
                json.WriteBoolean("dryRun", true);
            }

            json.WriteString("experimentId", who.ExperimentId);
            json.WriteString("function", who.FunctionName);
        });

        // The EMF record's members after the timestamp (closing _aws) up to the request id, and from there to its end.
        var directive = Members(json =>
        {
            json.WritePropertyName("CloudWatchMetrics");
            json.WriteRawValue(dryRun ? Directives.DryRun : Directives.Injected, skipInputValidation: true);
        });
        var dimensions = Members(json =>
        {
            json.WriteString("FaultType", faultType);
            json.WriteString("FunctionName", who.FunctionName ?? "unknown");
            json.WriteString("ExperimentId", who.ExperimentId);
        });
        var count = Members(json => json.WriteNumber(dryRun ? DryRunMetricName : MetricName, 1));

        return new FaultRecords(
            who.FunctionName,
            who.ExperimentId,
            [(byte)',', .. line],
            [(byte)',', .. directive, (byte)'}', (byte)',', .. dimensions],
            [(byte)',', .. count, (byte)'}']);
    }

    /// <summary>The members <paramref name="write"/> writes, as the JSON writer writes them inside an object (without the braces).</summary>
    private byte[] Members(Action<Utf8JsonWriter> write)
    {
        var json = Start();
        write(json);
        json.WriteEndObject();
        json.Flush();
        return _buffer.WrittenSpan[1..^1].ToArray();
    }

    /// <summary>The reused JSON writer, for one more value appended to <see cref="_buffer"/> (call under the lock).</summary>
    private Utf8JsonWriter Value()
    {
        if (_json is null)
        {
            _json = new Utf8JsonWriter(_buffer);
        }
        else
        {
            _json.Reset(_buffer);
        }

        return _json;
    }

    /// <summary>Where in <see cref="_buffer"/> the value just written lies (it starts at <paramref name="start"/>).</summary>
    private Range Piece(Utf8JsonWriter json, int start)
    {
        json.Flush();
        return start.._buffer.WrittenCount;
    }

    /// <summary>The constant parts of one fault type's records for one function and experiment, as UTF-8 JSON.</summary>
    private sealed record FaultRecords(string? FunctionName, string? ExperimentId, byte[] Line, byte[] Metric, byte[] MetricEnd);

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

    /// <summary>The first members of a log line: its time, level and logger.</summary>
    private static void WriteHeader(Utf8JsonWriter json, DateTimeOffset now, string level)
    {
        json.WritePropertyName("timestamp");
        WriteTimestamp(json, now);
        json.WriteString("level", level);
        json.WriteString("logger", "ServerlessChaos");
    }

    /// <summary>A record's time as a JSON string, round-trip format ("O"), formatted as UTF-8 in place.</summary>
    private static void WriteTimestamp(Utf8JsonWriter json, DateTimeOffset now)
    {
        Span<byte> stamp = stackalloc byte[40];
        if (now.UtcDateTime.TryFormat(stamp, out var length, "O", CultureInfo.InvariantCulture))
        {
            json.WriteStringValue(stamp[..length]);
        }
        else
        {
            json.WriteStringValue(now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>The reused JSON writer on an emptied buffer, the record's object opened (call under the lock).</summary>
    private Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        var json = Value();
        json.WriteStartObject();
        return json;
    }

    /// <summary>Closes the record and writes it as one line (call under the lock).</summary>
    private void Finish(TextWriter writer, Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.Flush();
        WriteLine(writer, _buffer.WrittenSpan);
    }

    /// <summary>Writes one record as one line (call under the lock).</summary>
    private void WriteLine(TextWriter writer, ReadOnlySpan<byte> bytes)
    {
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
