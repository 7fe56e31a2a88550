using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ServerlessChaos.Wrapper.Tests.NativeAot;

/// <summary>What the Runtime API received for one invocation.</summary>
public sealed record InvocationOutcome(string RequestId, bool IsError, string Body, TimeSpan Took)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();
}

/// <summary>
/// One run of the published function: a Lambda Runtime API on 127.0.0.1 hands it the given events one by one, records
/// each /response or /error post, and the process is stopped once every event has an outcome.
/// </summary>
public sealed class RuntimeApiRun
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private RuntimeApiRun(IReadOnlyList<InvocationOutcome> outcomes, IReadOnlyList<string> output)
    {
        Outcomes = outcomes;
        Output = output;
    }

    public IReadOnlyList<InvocationOutcome> Outcomes { get; }

    /// <summary>Every line the function wrote to stdout and stderr.</summary>
    public IReadOnlyList<string> Output { get; }

    /// <summary>The wrapper's JSON log lines.</summary>
    public IReadOnlyList<JsonElement> Lines =>
        [.. Output.Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    public IReadOnlyList<JsonElement> FaultLines => [.. Lines.Where(l => l.TryGetProperty("fault", out _))];

    /// <summary>A settings document armed for an hour from now (the function runs on the real clock).</summary>
    public static string Armed(params string[] faults) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}}","experimentId":"aot-proof","faults":[{{string.Join(",", faults)}}]}""";

    public static Task<RuntimeApiRun> StartAsync(AotPublishFixture fixture, string handler, string settings, string? random, params string[] events) =>
        StartAsync(fixture, new RunSetup(handler, settings, random), events);

    /// <summary>One run: <paramref name="setup"/> says which handler, settings, rolls, deadline and extra variables.</summary>
    public static async Task<RuntimeApiRun> StartAsync(AotPublishFixture fixture, RunSetup setup, params string[] events)
    {
        var (handler, settings, random) = (setup.Handler, setup.Settings, setup.Random);
        var served = new ConcurrentDictionary<string, long>();
        var pending = new ConcurrentQueue<(string Id, string Body)>(events.Select((e, i) => ($"req-{i + 1}", e)));
        var outcomes = new ConcurrentQueue<InvocationOutcome>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var api = await LoopbackServer.StartAsync(async context =>
        {
            var path = context.Request.Path.Value ?? "";
            if (context.Request.Method == "GET" && path.EndsWith("/runtime/invocation/next", StringComparison.Ordinal))
            {
                if (!pending.TryDequeue(out var next))
                {
                    // No more events: hold the request, as Lambda does, until the process is stopped.
                    await Task.WhenAny(done.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
                    context.Response.StatusCode = 503;
                    return;
                }

                context.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.Id;
                context.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.Add(setup.Deadline ?? TimeSpan.FromSeconds(30)).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                served[next.Id] = Stopwatch.GetTimestamp();
                context.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:eu-west-1:123456789012:function:aot-function";
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(next.Body);
                return;
            }

            var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (context.Request.Method == "POST" && segments.Length == 5 && segments[2] == "invocation" && segments[4] is "response" or "error")
            {
                using var reader = new StreamReader(context.Request.Body);
                var body = await reader.ReadToEndAsync();
                var took = served.TryGetValue(segments[3], out var at) ? Stopwatch.GetElapsedTime(at) : TimeSpan.Zero;
                outcomes.Enqueue(new InvocationOutcome(segments[3], segments[4] == "error", body, took));
                context.Response.StatusCode = 202;
                if (outcomes.Count == events.Length)
                {
                    done.TrySetResult();
                }

                return;
            }

            if (path.EndsWith("/runtime/init/error", StringComparison.Ordinal))
            {
                using var reader = new StreamReader(context.Request.Body);
                done.TrySetException(new InvalidOperationException("The function failed to start: " + await reader.ReadToEndAsync()));
            }

            context.Response.StatusCode = 404;
        });

        var start = new ProcessStartInfo(fixture.Bootstrap)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = $"127.0.0.1:{api.Url.Port}";
        start.Environment["_HANDLER"] = handler;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "aot-function";
        start.Environment["SERVERLESS_CHAOS_SETTINGS"] = settings;
        if (random is not null)
        {
            start.Environment["AOT_FUNCTION_RANDOM"] = random;
        }

        foreach (var (name, value) in setup.Variables ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(done.Task, exited).WaitAsync(Guard);
            if (first == exited && !done.Task.IsCompleted)
            {
                throw new InvalidOperationException($"The function exited ({process.ExitCode}) before answering every event:\n{string.Join('\n', output)}");
            }

            await done.Task;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The function answered {outcomes.Count} of {events.Length} events in {Guard}:\n{string.Join('\n', output)}");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
            process.WaitForExit(); // drains the output events
        }

        return new RuntimeApiRun([.. outcomes.OrderBy(o => o.RequestId, StringComparer.Ordinal)], [.. output]);
    }
}

/// <summary>What one run of the function gets: its handler, settings, the wrapper's rolls, the deadline, extra variables.</summary>
public sealed record RunSetup(string Handler, string Settings, string? Random = null, TimeSpan? Deadline = null, IReadOnlyDictionary<string, string>? Variables = null);
