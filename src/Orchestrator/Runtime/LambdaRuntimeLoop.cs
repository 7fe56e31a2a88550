using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Runtime;

/// <summary>A function the loop runs: payload JSON in, result JSON out.</summary>
/// <param name="payload">The invocation payload.</param>
/// <param name="context">The invocation.</param>
public delegate Task<string> LambdaHandler(string payload, LambdaContext context);

/// <summary>
/// The Lambda Runtime API loop of a <c>provided.al2023</c> function: get the next invocation, run the
/// handler, post its response or its error (with <c>Lambda-Runtime-Function-Error-Type</c>), repeat.
/// A handler still running at the deadline (minus a margin) is answered with a <c>DeadlineExceeded</c> error.
/// </summary>
public sealed class LambdaRuntimeLoop(HttpClient http, string runtimeApi, LambdaHandler handler, TimeProvider time)
{
    private readonly string baseUrl = $"http://{runtimeApi}/2018-06-01/runtime";

    /// <summary>How long before the deadline the handler is cancelled and the error posted. Defaults to 500 ms.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Serves invocations until <paramref name="stop"/> is cancelled, then returns.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            await ServeAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop.
        }
    }

    private async Task ServeAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var next = await http.GetAsync(baseUrl + "/invocation/next", HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
            next.EnsureSuccessStatusCode();
            var payload = await next.Content.ReadAsStringAsync(stop).ConfigureAwait(false);
            var requestId = Header(next, "Lambda-Runtime-Aws-Request-Id")
                ?? throw new InvalidOperationException("the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id");
            var deadline = long.TryParse(Header(next, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : time.GetUtcNow().AddMinutes(15);
            await InvokeOneAsync(requestId, deadline, payload, Header(next, "Lambda-Runtime-Invoked-Function-Arn"), Header(next, "Lambda-Runtime-Trace-Id"), stop).ConfigureAwait(false);
        }
    }

    /// <summary>Reports a start-up failure (<c>POST /runtime/init/error</c>).</summary>
    public Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken) =>
        PostErrorAsync(baseUrl + "/init/error", ErrorTypes.For(error), error.Message, cancellationToken);

    private async Task InvokeOneAsync(string requestId, DateTimeOffset deadline, string payload, string? arn, string? traceId, CancellationToken stop)
    {
        var budget = deadline - time.GetUtcNow() - DeadlineMargin;
        using var deadlineCts = new CancellationTokenSource(budget > TimeSpan.Zero ? budget : TimeSpan.Zero, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadlineCts.Token, stop);
        var context = new LambdaContext(requestId, deadline, arn, traceId, time, linked.Token);
        var running = Task.Run(() => handler(payload, context), CancellationToken.None);
        var expired = Task.Delay(Timeout.Infinite, deadlineCts.Token);
        var first = await Task.WhenAny(running, expired).ConfigureAwait(false);
        var url = $"{baseUrl}/invocation/{Uri.EscapeDataString(requestId)}";
        if (first == running && running.IsCompletedSuccessfully)
        {
            using var content = new StringContent(running.Result, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(url + "/response", content, stop).ConfigureAwait(false);
            return;
        }

        if (first == running && !(running.Exception?.InnerException is OperationCanceledException && deadlineCts.IsCancellationRequested))
        {
            var error = running.Exception!.InnerException ?? running.Exception;
            await PostErrorAsync(url + "/error", ErrorTypes.For(error), error.Message, stop).ConfigureAwait(false);
            return;
        }

        // The deadline came first (or the handler gave up because of it): say so before Lambda ends the process.
        _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);
        await PostErrorAsync(url + "/error", ErrorTypes.DeadlineExceeded,
            $"the step did not finish before the invocation deadline {deadline:O}", stop).ConfigureAwait(false);
    }

    private async Task PostErrorAsync(string url, string errorType, string message, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["errorType"] = errorType, ["errorMessage"] = message, ["stackTrace"] = new JsonArray() }.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
