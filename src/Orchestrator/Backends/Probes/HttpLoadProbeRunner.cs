using System.Globalization;
using System.Text;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Backends.Probes;

/// <summary>
/// The HTTP load probe: requests at a steady rate with bounded concurrency, in the chosen variant
/// (valid, malformed body, missing or invalid authorization), counted by status. The same code probes
/// an API Gateway endpoint on AWS and a loopback URL in the local game day.
/// </summary>
public sealed class HttpLoadProbeRunner(HttpClient http, TimeProvider time) : IProbeRunner
{
    /// <summary>The Authorization value sent by the <c>invalidAuthorization</c> variant.</summary>
    public const string InvalidAuthorization = "Bearer serverless-chaos-invalid-token";

    /// <summary>The body sent by the <c>malformedBody</c> variant.</summary>
    public const string MalformedBody = "{\"serverless-chaos\": malformed";

    /// <summary>How long one request may take. Defaults to 10 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public async Task<ProbeCounts> RunAsync(HttpLoadFault probe, TimeSpan window, CancellationToken cancellationToken)
    {
        var counts = new ProbeCounts();
        var total = (int)Math.Ceiling(probe.RatePerSecond * window.TotalSeconds);
        using var slots = new SemaphoreSlim(probe.Concurrency);
        var start = time.GetUtcNow();
        var inFlight = new List<Task>();
        for (var i = 0; i < total; i++)
        {
            var due = start + TimeSpan.FromSeconds(i / probe.RatePerSecond);
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            inFlight.Add(SendAsync(probe, counts, slots, cancellationToken));
        }

        await Task.WhenAll(inFlight).ConfigureAwait(false);
        return counts;
    }

    private async Task SendAsync(HttpLoadFault probe, ProbeCounts counts, SemaphoreSlim slots, CancellationToken ct)
    {
        string status;
        try
        {
            using var request = BuildRequest(probe);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(RequestTimeout);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            status = "0";
        }
        finally
        {
            slots.Release();
        }

        lock (counts)
        {
            counts.Requests++;
            counts.ByStatus[status] = counts.ByStatus.GetValueOrDefault(status) + 1;
        }
    }

    internal static HttpRequestMessage BuildRequest(HttpLoadFault probe)
    {
        var request = new HttpRequestMessage(new HttpMethod(probe.Method), probe.Url);
        foreach (var (name, value) in probe.Headers)
        {
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var body = probe.Variant == "malformedBody" ? MalformedBody : probe.Body;
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        switch (probe.Variant)
        {
            case "missingAuthorization":
                request.Headers.Remove("Authorization");
                break;
            case "invalidAuthorization":
                request.Headers.Remove("Authorization");
                request.Headers.TryAddWithoutValidation("Authorization", InvalidAuthorization);
                break;
        }

        return request;
    }
}
