using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Runtime;
using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.Runtime;

/// <summary>The runtime loop against a local Lambda Runtime API on 127.0.0.1.</summary>
public class LambdaRuntimeLoopTests
{
    [Fact]
    public async Task Several_invocations_are_served_in_one_process_with_their_responses()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        api.Enqueue("r1", """{"n":1}""", clock.GetUtcNow().AddSeconds(30));
        api.Enqueue("r2", """{"n":2}""", clock.GetUtcNow().AddSeconds(30));
        api.Enqueue("r3", """{"n":3}""", clock.GetUtcNow().AddSeconds(30));
        var seen = new ConcurrentQueue<string>();
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, (payload, context) =>
        {
            seen.Enqueue(context.AwsRequestId);
            var n = JsonNode.Parse(payload)!["n"]!.GetValue<int>();
            return Task.FromResult(new JsonObject { ["doubled"] = n * 2, ["arn"] = context.InvokedFunctionArn }.ToJsonString());
        }, clock);

        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        var posts = await api.WaitForPostsAsync(3);
        await stop.CancelAsync();
        await running;

        seen.ShouldBe(["r1", "r2", "r3"]);
        posts.Select(p => p.Path).ShouldBe(["/2018-06-01/runtime/invocation/r1/response", "/2018-06-01/runtime/invocation/r2/response", "/2018-06-01/runtime/invocation/r3/response"]);
        JsonNode.Parse(posts[2].Body)!["doubled"]!.GetValue<int>().ShouldBe(6);
        JsonNode.Parse(posts[0].Body)!["arn"]!.GetValue<string>().ShouldBe(FakeRuntimeApi.FunctionArn);
    }

    [Fact]
    public async Task A_handler_error_is_posted_with_its_error_type_and_the_loop_goes_on()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        api.Enqueue("bad", "{}", clock.GetUtcNow().AddSeconds(30));
        api.Enqueue("good", "{}", clock.GetUtcNow().AddSeconds(30));
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, (_, context) => context.AwsRequestId == "bad"
            ? throw new Orchestrator.Steps.ControlFunctionException("PreflightRefused", "alarm x is in ALARM")
            : Task.FromResult("{}"), clock);

        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        var posts = await api.WaitForPostsAsync(2);
        await stop.CancelAsync();
        await running;

        posts[0].Path.ShouldBe("/2018-06-01/runtime/invocation/bad/error");
        posts[0].ErrorTypeHeader.ShouldBe("PreflightRefused");
        var error = JsonNode.Parse(posts[0].Body)!;
        error["errorType"]!.GetValue<string>().ShouldBe("PreflightRefused");
        error["errorMessage"]!.GetValue<string>().ShouldBe("alarm x is in ALARM");
        error["stackTrace"].ShouldBeOfType<JsonArray>();
        posts[1].Path.ShouldBe("/2018-06-01/runtime/invocation/good/response");
    }

    [Fact]
    public async Task The_deadline_is_honoured_remaining_time_comes_from_the_clock_and_a_late_handler_gets_an_error()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        api.Enqueue("slow", "{}", clock.GetUtcNow().AddSeconds(10));
        var started = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, async (_, context) =>
        {
            started.SetResult(context.RemainingTime);
            context.CancellationToken.Register(() => cancelled.TrySetResult());
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
            return "{}";
        }, clock);

        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        (await started.Task.WaitAsync(TimeSpan.FromSeconds(10))).ShouldBe(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(9));
        cancelled.Task.IsCompleted.ShouldBeFalse();
        clock.Advance(TimeSpan.FromMilliseconds(600));
        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var posts = await api.WaitForPostsAsync(1);

        (await running.WaitAsync(TimeSpan.FromSeconds(20))).ShouldBe(RuntimeLoopExit.Recycle);
        posts[0].Path.ShouldBe("/2018-06-01/runtime/invocation/slow/error");
        posts[0].ErrorTypeHeader.ShouldBe("DeadlineExceeded");
    }

    [Fact]
    public async Task A_step_still_running_at_its_deadline_never_runs_beside_the_next_invocation()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        api.Enqueue("runaway", "{}", clock.GetUtcNow().AddSeconds(10));
        api.Enqueue("retried", "{}", clock.GetUtcNow().AddSeconds(30));
        var started = new ConcurrentQueue<string>();
        var runawayStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new CountingWriter();
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, async (_, context) =>
        {
            started.Enqueue(context.AwsRequestId);
            runawayStarted.TrySetResult();
            // Ignores its cancellation token, as a step stuck in a call without one would.
            await new TaskCompletionSource().Task;
            return "{}";
        }, clock) { Log = new RuntimeLog(log) };

        var running = loop.RunAsync(CancellationToken.None);
        await runawayStarted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        clock.Advance(TimeSpan.FromSeconds(9.6));
        var exit = await running.WaitAsync(TimeSpan.FromSeconds(20));

        exit.ShouldBe(RuntimeLoopExit.Recycle, "the process exits so Lambda starts a fresh one for the next invocation");
        var post = (await api.WaitForPostsAsync(1)).Single();
        post.Path.ShouldBe("/2018-06-01/runtime/invocation/runaway/error");
        post.ErrorTypeHeader.ShouldBe("DeadlineExceeded");
        started.ShouldBe(["runaway"]);
        api.NextRequests.ShouldBe(1, "the retried invocation is never taken by this process");
        JsonNode.Parse(log.Lines.Single())!["requestId"]!.GetValue<string>().ShouldBe("runaway");
    }

    [Fact]
    public async Task A_result_the_Runtime_API_refuses_as_too_large_is_logged_and_reported_as_an_error()
    {
        await using var api = await FakeRuntimeApi.StartAsync(post => post.Path.EndsWith("/big/response", StringComparison.Ordinal)
            ? (413, """{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}""")
            : (202, ""));
        var clock = new ManualTimeProvider();
        api.Enqueue("big", "{}", clock.GetUtcNow().AddSeconds(30));
        api.Enqueue("small", "{}", clock.GetUtcNow().AddSeconds(30));
        var log = new CountingWriter();
        var result = new JsonObject { ["ledger"] = new string('x', 7_000_000) }.ToJsonString();
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, (_, context) => Task.FromResult(context.AwsRequestId == "big" ? result : "{}"), clock)
        {
            Log = new RuntimeLog(log),
        };

        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        var posts = await api.WaitForPostsAsync(3);
        await stop.CancelAsync();
        (await running).ShouldBe(RuntimeLoopExit.Stopped);

        posts.Select(p => p.Path[(p.Path.LastIndexOf("/invocation/", StringComparison.Ordinal) + 12)..]).ShouldBe(["big/response", "big/error", "small/response"]);
        posts[1].ErrorTypeHeader.ShouldBe(LambdaRuntimeLoop.ResponseTooLargeErrorType);
        var error = JsonNode.Parse(posts[1].Body)!;
        error["errorType"]!.GetValue<string>().ShouldBe("Function.ResponseSizeTooLarge");
        error["errorMessage"]!.GetValue<string>().ShouldBe(
            $"the step's result ({result.Length} bytes) is larger than Lambda accepts (413 from the Runtime API: " +
            """{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"})""");
        var logged = JsonNode.Parse(log.Lines.Single())!;
        logged["level"]!.GetValue<string>().ShouldBe("ERROR");
        logged["requestId"]!.GetValue<string>().ShouldBe("big");
        logged["message"]!.GetValue<string>().ShouldContain("413");
    }

    [Fact]
    public async Task A_refused_error_report_is_logged_and_a_500_recycles_the_process()
    {
        await using var api = await FakeRuntimeApi.StartAsync(post => (500, "state lost"));
        var clock = new ManualTimeProvider();
        api.Enqueue("r1", "{}", clock.GetUtcNow().AddSeconds(30));
        api.Enqueue("r2", "{}", clock.GetUtcNow().AddSeconds(30));
        var log = new CountingWriter();
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, (_, _) => throw new InvalidOperationException("boom"), clock) { Log = new RuntimeLog(log) };

        var exit = await loop.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        exit.ShouldBe(RuntimeLoopExit.Recycle, "the Runtime API reference says a 500 is not recoverable");
        api.NextRequests.ShouldBe(1);
        log.Lines.Count.ShouldBe(2, "the step's error, then the refused report");
        JsonNode.Parse(log.Lines[1])!["message"]!.GetValue<string>().ShouldBe("the Runtime API refused the InvalidOperationException error report with 500: state lost");
    }

    [Fact]
    public async Task Every_error_is_logged_once_as_one_line_with_its_stack_trace_and_posted_with_its_frames()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        api.Enqueue("bad", "{}", clock.GetUtcNow().AddSeconds(30));
        var log = new CountingWriter();
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, (_, _) => Task.FromResult(Failing.Step()), clock) { Log = new RuntimeLog(log) };

        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        var post = (await api.WaitForPostsAsync(1)).Single();
        await stop.CancelAsync();
        await running;

        log.Writes.ShouldBe(1, "one console write is one CloudWatch Logs event");
        var line = log.Lines.Single();
        line.ShouldNotContain('\n');
        var logged = JsonNode.Parse(line)!;
        logged["requestId"]!.GetValue<string>().ShouldBe("bad");
        logged["errorType"]!.GetValue<string>().ShouldBe("System.InvalidOperationException");
        logged["errorMessage"]!.GetValue<string>().ShouldBe("the ledger is unreadable");
        var stack = logged["stackTrace"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        stack.ShouldContain(l => l.Contains(nameof(Failing.Step), StringComparison.Ordinal));
        stack.ShouldContain(l => l.Contains("FormatException", StringComparison.Ordinal) && l.Contains("not a number", StringComparison.Ordinal), "the inner exception too");
        JsonNode.Parse(post.Body)!["stackTrace"]!.AsArray().Select(l => l!.GetValue<string>())
            .ShouldContain(l => l.Contains(nameof(Failing.Step), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_trace_header_of_each_invocation_is_in_X_AMZN_TRACE_ID_while_its_step_runs()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var clock = new ManualTimeProvider();
        api.Enqueue("traced", "{}", clock.GetUtcNow().AddSeconds(30), traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
        api.Enqueue("untraced", "{}", clock.GetUtcNow().AddSeconds(30), traceId: null);
        var environment = new ConcurrentDictionary<string, string?>();
        var seen = new ConcurrentQueue<(string, string?, string?)>();
        var loop = new LambdaRuntimeLoop(api.Http, api.Address, (_, context) =>
        {
            seen.Enqueue((context.AwsRequestId, environment.GetValueOrDefault(LambdaRuntimeLoop.TraceIdVariable), context.TraceId));
            return Task.FromResult("{}");
        }, clock) { SetEnvironmentVariable = (name, value) => environment[name] = value };

        using var stop = new CancellationTokenSource();
        var running = loop.RunAsync(stop.Token);
        await api.WaitForPostsAsync(2);
        await stop.CancelAsync();
        await running;

        seen.ShouldBe([
            ("traced", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
            ("untraced", null, null),
        ]);
    }

    private static class Failing
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static string Step()
        {
            try
            {
                return int.Parse("x", System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (FormatException e)
            {
                throw new InvalidOperationException("the ledger is unreadable", new FormatException("not a number", e));
            }
        }
    }

    /// <summary>A log target that counts writes and splits what it got into lines.</summary>
    private sealed class CountingWriter : StringWriter
    {
        public int Writes { get; private set; }

        public List<string> Lines => [.. ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];

        public override void Write(string? value)
        {
            Writes++;
            base.Write(value);
        }
    }

    [Fact]
    public async Task A_start_up_error_is_posted_to_init_error()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string?> { ["AWS_LAMBDA_RUNTIME_API"] = api.Address, ["_HANDLER"] = "launch-missiles" };

        var exit = await LambdaBootstrap.RunAsync(n => env.GetValueOrDefault(n), api.Http, new ManualTimeProvider(), createBackends: null, CancellationToken.None);

        exit.ShouldBe(1);
        var post = (await api.WaitForPostsAsync(1)).Single();
        post.Path.ShouldBe("/2018-06-01/runtime/init/error");
        post.ErrorTypeHeader.ShouldBe("Runtime.InvalidHandler");
        JsonNode.Parse(post.Body)!["errorMessage"]!.GetValue<string>().ShouldBe(
            "_HANDLER must be one of validate, preflight, arm, start, observe, rollback, verify, report, deadletter, cleanup, sample-api (was \"launch-missiles\")");
    }

    [Fact]
    public async Task The_bootstrap_serves_the_step_named_by_HANDLER_with_the_local_backends()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var folder = Path.Combine(Path.GetTempPath(), "sc-orch-tests", Guid.NewGuid().ToString("N"));
        var env = new Dictionary<string, string?>
        {
            ["AWS_LAMBDA_RUNTIME_API"] = api.Address,
            ["_HANDLER"] = "validate",
            ["SERVERLESS_CHAOS_BACKEND"] = "local",
            ["SERVERLESS_CHAOS_LOCAL_STATE"] = folder,
        };
        var clock = new ManualTimeProvider();
        var input = new JsonObject { ["input"] = new Scenario().Experiment(), ["execution"] = new JsonObject { ["id"] = "arn:x", ["name"] = "e1" } };
        api.Enqueue("v1", input.ToJsonString(), clock.GetUtcNow().AddSeconds(30));
        api.Enqueue("v2", """{"input":{"name":"x"},"execution":{"id":"arn:x","name":"e2"}}""", clock.GetUtcNow().AddSeconds(30));

        using var stop = new CancellationTokenSource();
        var running = LambdaBootstrap.RunAsync(n => env.GetValueOrDefault(n), api.Http, clock, createBackends: null, stop.Token);
        var posts = await api.WaitForPostsAsync(2);
        await stop.CancelAsync();
        (await running).ShouldBe(0);

        posts[0].Path.ShouldEndWith("/v1/response");
        JsonNode.Parse(posts[0].Body)!["experiment"]!["name"]!.GetValue<string>().ShouldBe("checkout-latency");
        posts[1].Path.ShouldEndWith("/v2/error");
        posts[1].ErrorTypeHeader.ShouldBe("ExperimentInvalid");
    }

    /// <summary>A Lambda Runtime API: queued invocations are handed out by /next; posts are recorded.</summary>
    internal sealed class FakeRuntimeApi : IAsyncDisposable
    {
        public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:validate";

        private readonly Channel<(string Id, string Payload, DateTimeOffset Deadline, string? TraceId)> invocations = Channel.CreateUnbounded<(string, string, DateTimeOffset, string?)>();
        private int nextRequests;
        private readonly Channel<Post> posts = Channel.CreateUnbounded<Post>();
        private LoopbackServer server = null!;

        public string Address { get; private set; } = "";

        public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

        /// <summary>How many times GET /invocation/next was asked.</summary>
        public int NextRequests => Volatile.Read(ref nextRequests);

        /// <summary>Starts the API; <paramref name="reply"/> chooses the status and body of each POST (202 and none by default).</summary>
        public static async Task<FakeRuntimeApi> StartAsync(Func<Post, (int Status, string Body)>? reply = null)
        {
            var api = new FakeRuntimeApi();
            api.server = await LoopbackServer.StartAsync(async http =>
            {
                var path = http.Request.Path.Value ?? "";
                if (HttpMethods.IsGet(http.Request.Method) && path == "/2018-06-01/runtime/invocation/next")
                {
                    Interlocked.Increment(ref api.nextRequests);
                    var (id, payload, deadline, traceId) = await api.invocations.Reader.ReadAsync(http.RequestAborted);
                    http.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
                    http.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString();
                    http.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
                    if (traceId is not null)
                    {
                        http.Response.Headers["Lambda-Runtime-Trace-Id"] = traceId;
                    }

                    await http.Response.WriteAsync(payload);
                }
                else if (HttpMethods.IsPost(http.Request.Method) && path.StartsWith("/2018-06-01/runtime/", StringComparison.Ordinal))
                {
                    using var reader = new StreamReader(http.Request.Body);
                    var body = await reader.ReadToEndAsync();
                    var post = new Post(http.Request.Path, body, http.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault());
                    var (status, replyBody) = reply?.Invoke(post) ?? (202, "");
                    http.Response.StatusCode = status;
                    await http.Response.WriteAsync(replyBody);
                    await api.posts.Writer.WriteAsync(post);
                }
                else
                {
                    http.Response.StatusCode = 404;
                }
            });
            api.Address = $"{api.server.Url.Host}:{api.server.Url.Port}";
            return api;
        }

        public void Enqueue(string id, string payload, DateTimeOffset deadline, string? traceId = "Root=1-0-0") =>
            invocations.Writer.TryWrite((id, payload, deadline, traceId));

        public async Task<List<Post>> WaitForPostsAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var list = new List<Post>();
            while (list.Count < count)
            {
                list.Add(await posts.Reader.ReadAsync(timeout.Token));
            }

            return list;
        }

        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            Http.Dispose();
        }

        public sealed record Post(string Path, string Body, string? ErrorTypeHeader);
    }
}
