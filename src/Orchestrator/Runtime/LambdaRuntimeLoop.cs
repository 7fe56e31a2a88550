using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Runtime;

/// <summary>A function the loop runs: payload JSON in, result JSON out.</summary>
/// <param name="payload">The invocation payload.</param>
/// <param name="context">The invocation.</param>
public delegate Task<string> LambdaHandler(string payload, LambdaContext context);

/// <summary>Why <see cref="LambdaRuntimeLoop.RunAsync"/> returned.</summary>
public enum RuntimeLoopExit
{
    /// <summary>Asked to stop.</summary>
    Stopped,

    /// <summary>
    /// A step was still running at its deadline (or the Runtime API said its state is lost): the process must exit so
    /// Lambda starts a fresh one, as it does after a timeout; the runaway step never runs beside the next invocation.
    /// </summary>
    Recycle,
}

/// <summary>
/// The Lambda Runtime API loop of a <c>provided.al2023</c> function: get the next invocation, run the handler, post
/// its response or its error (with <c>Lambda-Runtime-Function-Error-Type</c>), repeat. One invocation at a time: a
/// handler still running at the deadline (minus a margin) is answered with <c>DeadlineExceeded</c> and the loop ends
/// with <see cref="RuntimeLoopExit.Recycle"/>. Every error is logged as one JSON line with its stack trace.
/// </summary>
public sealed class LambdaRuntimeLoop(HttpClient http, string runtimeApi, LambdaHandler handler, TimeProvider time)
{
    /// <summary>The error type posted when the Runtime API refuses a result as too large (413).</summary>
    public const string ResponseTooLargeErrorType = "Function.ResponseSizeTooLarge";

    /// <summary>The environment variable the X-Ray SDKs read the trace header from.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    private readonly string baseUrl = $"http://{runtimeApi}/2018-06-01/runtime";

    /// <summary>How long before the deadline the handler is cancelled and the error posted. Defaults to 500 ms.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Where log events go, one line (one write) each. Defaults to standard output, which Lambda sends to CloudWatch Logs.</summary>
    public RuntimeLog Log { get; init; } = RuntimeLog.Console;

    /// <summary>Sets a process environment variable (<see cref="TraceIdVariable"/>). Defaults to <see cref="Environment.SetEnvironmentVariable(string, string)"/>.</summary>
    public Action<string, string?> SetEnvironmentVariable { get; init; } = Environment.SetEnvironmentVariable;

    /// <summary>Serves invocations, one at a time, until <paramref name="stop"/> is cancelled or the process must be recycled.</summary>
    public async Task<RuntimeLoopExit> RunAsync(CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (await ServeNextAsync(stop).ConfigureAwait(false))
                {
                    return RuntimeLoopExit.Recycle;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop.
        }

        return RuntimeLoopExit.Stopped;
    }

    /// <summary>Reports a start-up failure (<c>POST /runtime/init/error</c>) and logs it.</summary>
    public async Task ReportInitErrorAsync(Exception error, CancellationToken cancellationToken)
    {
        Log.Error(null, "start-up failed", error);
        _ = await PostErrorAsync(null, baseUrl + "/init/error", ErrorTypes.For(error), error.Message, StackOf(error), cancellationToken).ConfigureAwait(false);
    }

    // Each step below returns true when the process must be recycled.
    private async Task<bool> ServeNextAsync(CancellationToken stop)
    {
        string requestId;
        string payload;
        DateTimeOffset deadline;
        string? arn;
        string? traceId;
        try
        {
            using var next = await http.GetAsync(baseUrl + "/invocation/next", HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
            if (!next.IsSuccessStatusCode)
            {
                Log.Error(null, $"the Runtime API answered GET /invocation/next with {(int)next.StatusCode} {next.ReasonPhrase}: the process exits", null);
                return true;
            }

            payload = await next.Content.ReadAsStringAsync(stop).ConfigureAwait(false);
            requestId = Header(next, "Lambda-Runtime-Aws-Request-Id") ?? "";
            arn = Header(next, "Lambda-Runtime-Invoked-Function-Arn");
            traceId = Header(next, "Lambda-Runtime-Trace-Id");
            deadline = long.TryParse(Header(next, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : time.GetUtcNow().AddMinutes(15);
        }
        catch (HttpRequestException e)
        {
            Log.Error(null, "the Runtime API could not be reached for the next invocation: the process exits", e);
            return true;
        }

        if (requestId.Length == 0)
        {
            Log.Error(null, "the Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id: the process exits", null);
            return true;
        }

        // Per invocation, and cleared when absent, so a trace header never carries over to the next invocation.
        SetEnvironmentVariable(TraceIdVariable, traceId);
        return await InvokeOneAsync(requestId, deadline, payload, arn, traceId, stop).ConfigureAwait(false);
    }

    private async Task<bool> InvokeOneAsync(string requestId, DateTimeOffset deadline, string payload, string? arn, string? traceId, CancellationToken stop)
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
            return await PostResponseAsync(requestId, url, running.Result, stop).ConfigureAwait(false);
        }

        if (first == running && !(running.Exception?.InnerException is OperationCanceledException && deadlineCts.IsCancellationRequested))
        {
            var error = running.Exception!.InnerException ?? running.Exception;
            Log.Error(requestId, "the step failed", error);
            return await PostErrorAsync(requestId, url + "/error", ErrorTypes.For(error), error.Message, StackOf(error), stop).ConfigureAwait(false);
        }

        // The deadline came first (or the handler gave up because of it). The step may still be running: answer, then
        // recycle the process rather than let it run beside the next invocation (a retried rollback beside a runaway one).
        _ = running.ContinueWith(t => t.Exception, TaskScheduler.Default);
        var message = $"the step did not finish before the invocation deadline {deadline:O}";
        Log.Error(requestId, message + ": the process exits so that it cannot run beside the next invocation", null);
        _ = await PostErrorAsync(requestId, url + "/error", ErrorTypes.DeadlineExceeded, message, [], stop).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> PostResponseAsync(string requestId, string url, string result, CancellationToken stop)
    {
        using var content = new StringContent(result, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(url + "/response", content, stop).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        var detail = await ReplyTextAsync(response, stop).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
        {
            // The result is lost either way; the caller must see why instead of a bare failure.
            var size = Encoding.UTF8.GetByteCount(result);
            var message = string.Create(CultureInfo.InvariantCulture, $"the step's result ({size} bytes) is larger than Lambda accepts (413 from the Runtime API{detail})");
            Log.Error(requestId, message, null);
            return await PostErrorAsync(requestId, url + "/error", ResponseTooLargeErrorType, message, [], stop).ConfigureAwait(false);
        }

        Log.Error(requestId, $"the Runtime API refused the response with {status}{detail}", null);
        // 500: the Runtime API's state is lost and the runtime must exit (Lambda Runtime API reference).
        return status >= 500;
    }

    private async Task<bool> PostErrorAsync(string? requestId, string url, string errorType, string message, IReadOnlyList<string> stackTrace, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["errorType"] = errorType,
            ["errorMessage"] = message,
            ["stackTrace"] = new JsonArray([.. stackTrace.Select(line => (JsonNode?)JsonValue.Create(line))]),
        }.ToJsonString();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", errorType);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return false;
        }

        var status = (int)response.StatusCode;
        Log.Error(requestId, $"the Runtime API refused the {errorType} error report with {status}{await ReplyTextAsync(response, cancellationToken).ConfigureAwait(false)}", null);
        return status >= 500;
    }

    private static async Task<string> ReplyTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length == 0 ? "" : $": {(text.Length > 500 ? text[..500] + "…" : text)}";
    }

    private static IReadOnlyList<string> StackOf(Exception error) =>
        (error.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
