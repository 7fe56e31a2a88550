using System.Text;
using System.Text.Json;
using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Migration;

/// <summary>
/// What a caller of a decorated function observes for one invocation: how often the handler ran, the response or the
/// error, the delay the wrapper logged, and whether the document was read at all.
/// </summary>
/// <param name="HandlerRuns">How many times the handler ran (the peers sometimes run it twice; we never do).</param>
/// <param name="Status">The response's statusCode, or null when an exception came back.</param>
/// <param name="Body">The response's body.</param>
/// <param name="ContentType">The response's Content-Type header, if any.</param>
/// <param name="Error">The message of the exception that came back, or null.</param>
/// <param name="DelayMs">The latency the wrapper logged, or null when none was injected.</param>
/// <param name="Faults">The injected fault types, in log order, comma-separated ("" when none).</param>
/// <param name="Valid">Whether the document was accepted (an invalid one injects nothing and is logged).</param>
public sealed record Outcome(int HandlerRuns, int? Status, string? Body, string? ContentType, string? Error, long? DelayMs, string Faults, bool Valid)
{
    public const string HandlerBody = "hello from the handler";

    /// <summary>The handler ran once, answered 200 with its own body, nothing was injected.</summary>
    public static Outcome Untouched { get; } = new(1, 200, HandlerBody, "text/plain", null, null, "", true);

    /// <summary>Like <see cref="Untouched"/>, and the document was refused (one log line names the field).</summary>
    public static Outcome Refused { get; } = Untouched with { Valid = false };

    /// <summary>Runs <paramref name="document"/> through a Stream-decorated handler, the closest shape to the peers' raw JSON.</summary>
    public static async Task<Outcome> RunAsync(string document, double random, string eventJson = "{}")
    {
        var harness = new Harness(document, Sequence.Always(random), configure: o => o.TimeProvider = new InstantTimeProvider());
        var runs = 0;
        Task<Stream> Handler(Stream input, TestLambdaContext context)
        {
            runs++;
            return Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes(
                $$"""{"statusCode":200,"headers":{"Content-Type":"text/plain"},"body":"{{HandlerBody}}"}""")));
        }

        int? status = null;
        string? body = null, contentType = null, error = null;
        try
        {
            var output = await harness.Wrapper.InvokeStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(eventJson)), new TestLambdaContext(), Handler);
            using var json = JsonDocument.Parse(output);
            var root = json.RootElement;
            status = root.GetProperty("statusCode").GetInt32();
            body = root.TryGetProperty("body", out var b) ? b.GetString() : null;
            contentType = root.TryGetProperty("headers", out var h) && h.TryGetProperty("Content-Type", out var c) ? c.GetString() : null;
        }
        catch (Exception ex)
        {
            error = ex.Message;
        }

        var faults = harness.FaultLines.Select(l => l.GetProperty("fault").GetString()).ToList();
        var delay = harness.FaultLines.Where(l => l.GetProperty("fault").GetString() == "latency")
            .Select(l => (long?)l.GetProperty("details").GetProperty("delayMs").GetInt64()).FirstOrDefault();
        var valid = ChaosSettings.Parse(document).IsValid;
        return new Outcome(runs, status, body, contentType, error, delay, string.Join(",", faults), valid);
    }
}
