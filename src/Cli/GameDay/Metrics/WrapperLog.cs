using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;

namespace ServerlessChaos.Cli.GameDay.Metrics;

/// <summary>
/// The wrapper's log as the game day receives it: every line goes to wrapper-log.jsonl whole, and the request id
/// of every injected fault (<c>{"fault": ..., "requestId": ...}</c>) is remembered, so an answer that does not carry
/// the <c>X-Chaos-Injected</c> header (an injected exception becomes API Gateway's 502; a dependency fault becomes
/// the function's own error) still counts as injected.
/// </summary>
internal sealed class WrapperLog : TextWriter
{
    private readonly TextWriter file;
    private readonly StringBuilder pending = new();
    private readonly ConcurrentDictionary<string, string> faultsByRequest = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> dryRunsByRequest = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Writes to <paramref name="file"/> (owned: disposed with this writer).</summary>
    public WrapperLog(TextWriter file) => this.file = file;

    /// <inheritdoc />
    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>How many injected faults the log has recorded (dry-run records are not among them).</summary>
    public int FaultCount => faultsByRequest.Count;

    /// <summary>How many invocations a dry run would have injected a fault into.</summary>
    public int DryRunCount => dryRunsByRequest.Count;

    /// <summary>The fault type a dry run would have injected into the invocation with this request id, or null.</summary>
    public string? DryRunFaultFor(string? requestId) =>
        requestId is not null && dryRunsByRequest.TryGetValue(requestId, out var fault) ? fault : null;

    /// <summary>The fault type injected into the invocation with this request id, or null.</summary>
    public string? FaultFor(string? requestId) =>
        requestId is not null && faultsByRequest.TryGetValue(requestId, out var fault) ? fault : null;

    /// <inheritdoc />
    public override void Write(char value) => Write(value.ToString());

    /// <inheritdoc />
    public override void Write(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        lock (gate)
        {
            pending.Append(value);
            var text = pending.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0)
            {
                return;
            }

            pending.Clear().Append(text, end + 1, text.Length - end - 1);
            foreach (var line in text[..end].Split('\n'))
            {
                var trimmed = line.TrimEnd('\r');
                if (trimmed.Length == 0)
                {
                    continue;
                }

                file.WriteLine(trimmed);
                Remember(trimmed);
            }

            file.Flush();
        }
    }

    /// <inheritdoc />
    public override void WriteLine(string? value) => Write((value ?? string.Empty) + "\n");

    /// <inheritdoc />
    public override void WriteLine() => Write("\n");

    /// <inheritdoc />
    public override void Flush()
    {
        lock (gate)
        {
            file.Flush();
        }
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (gate)
            {
                if (pending.Length > 0)
                {
                    file.WriteLine(pending.ToString());
                    pending.Clear();
                }

                file.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void Remember(string line)
    {
        if (!line.Contains("\"fault\"", StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("fault", out var fault) && fault.ValueKind == JsonValueKind.String
                && doc.RootElement.TryGetProperty("requestId", out var id) && id.ValueKind == JsonValueKind.String)
            {
                // A dry-run record says what would have been injected: nothing was.
                var dryRun = doc.RootElement.TryGetProperty("dryRun", out var flag) && flag.ValueKind == JsonValueKind.True;
                (dryRun ? dryRunsByRequest : faultsByRequest).TryAdd(id.GetString()!, fault.GetString()!);
            }
        }
        catch (JsonException)
        {
            // Not a wrapper record: kept in the file, nothing to count.
        }
    }
}
