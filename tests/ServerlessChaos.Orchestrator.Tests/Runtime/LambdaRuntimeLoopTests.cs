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
        await stop.CancelAsync();
        await running;

        posts[0].Path.ShouldBe("/2018-06-01/runtime/invocation/slow/error");
        posts[0].ErrorTypeHeader.ShouldBe("DeadlineExceeded");
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

        private readonly Channel<(string Id, string Payload, DateTimeOffset Deadline)> invocations = Channel.CreateUnbounded<(string, string, DateTimeOffset)>();
        private readonly Channel<Post> posts = Channel.CreateUnbounded<Post>();
        private LoopbackServer server = null!;

        public string Address { get; private set; } = "";

        public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

        public static async Task<FakeRuntimeApi> StartAsync()
        {
            var api = new FakeRuntimeApi();
            api.server = await LoopbackServer.StartAsync(async http =>
            {
                var path = http.Request.Path.Value ?? "";
                if (HttpMethods.IsGet(http.Request.Method) && path == "/2018-06-01/runtime/invocation/next")
                {
                    var (id, payload, deadline) = await api.invocations.Reader.ReadAsync(http.RequestAborted);
                    http.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
                    http.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString();
                    http.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
                    http.Response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-0-0";
                    await http.Response.WriteAsync(payload);
                }
                else if (HttpMethods.IsPost(http.Request.Method) && path.StartsWith("/2018-06-01/runtime/", StringComparison.Ordinal))
                {
                    using var reader = new StreamReader(http.Request.Body);
                    var body = await reader.ReadToEndAsync();
                    await api.posts.Writer.WriteAsync(new Post(http.Request.Path, body, http.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault()));
                    http.Response.StatusCode = 202;
                }
                else
                {
                    http.Response.StatusCode = 404;
                }
            });
            api.Address = $"{api.server.Url.Host}:{api.server.Url.Port}";
            return api;
        }

        public void Enqueue(string id, string payload, DateTimeOffset deadline) => invocations.Writer.TryWrite((id, payload, deadline));

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
