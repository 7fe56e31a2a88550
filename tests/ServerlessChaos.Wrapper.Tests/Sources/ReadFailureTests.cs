using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Wrapper.Sources.Ssm;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

/// <summary>
/// How a failed SSM read is retried, by kind, against a loopback SSM: throttled reads back off (jittered, capped, within
/// the fail-closed bound); network errors and 5xx are retried at the next refresh; a denied read disarms at once.
/// </summary>
public class ReadFailureTests
{
    private const string Parameter = "/serverless-chaos/functions/checkout";
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private sealed class Ssm : IAsyncDisposable
    {
        private Ssm(LoopbackServer server, ManualTimeProvider clock)
        {
            Server = server;
            Clock = clock;
            Start = clock.GetUtcNow();
        }

        public DateTimeOffset Start { get; }

        public LoopbackServer Server { get; }

        public ManualTimeProvider Clock { get; }

        /// <summary>Seconds since the start of the test at which each read arrived.</summary>
        public ConcurrentQueue<double> ReadAt { get; } = new();

        public Func<HttpContext, Task> Reply { get; set; } = null!;

        public StringWriter Log { get; } = new();

        public ChaosWrapper Wrapper { get; private set; } = null!;

        public static async Task<Ssm> StartAsync()
        {
            var clock = new ManualTimeProvider();
            var server = await LoopbackServer.StartAsync();
            var ssm = new Ssm(server, clock);
            ssm.Reply = Answer(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
            server.Handler = context =>
            {
                ssm.ReadAt.Enqueue(Math.Round((clock.GetUtcNow() - ssm.Start).TotalSeconds, 3));
                return ssm.Reply(context);
            };
            var reader = new SsmParametersReader("eu-west-1", server.Url, () => new AwsCredentials("AKIDEXAMPLE", "secret", "token"), clock);
            ssm.Wrapper = new ChaosWrapper(
                new SsmSettingsSource(reader, Parameter),
                new ChaosOptions { TimeProvider = clock, LogWriter = ssm.Log, Randomizer = Sequence.Always(0.5), RefreshRandomizer = Sequence.Always(0) });
            return ssm;
        }

        public static Func<HttpContext, Task> Answer(string settings) =>
            LoopbackServer.Json(200, JsonSerializer.Serialize(new
            {
                Parameters = new[] { new { Name = Parameter, Type = "String", Value = settings, Version = 1 } },
                InvalidParameters = new[] { ChaosConventions.HaltParameter },
            }));

        /// <summary>Invokes every 50 ms of the manual clock from now until <paramref name="seconds"/>; returns the status of each.</summary>
        public async Task<List<(double At, int Status)>> InvokeUntilAsync(double seconds)
        {
            var statuses = new List<(double, int)>();
            while ((Clock.GetUtcNow() - Start).TotalSeconds < seconds - 1e-9)
            {
                var response = await Wrapper.InvokeAsync(Get, new TestLambdaContext(Clock), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));
                statuses.Add((Math.Round((Clock.GetUtcNow() - Start).TotalSeconds, 3), response.StatusCode));
                Clock.Advance(TimeSpan.FromMilliseconds(50));
            }

            return statuses;
        }

        public List<double> Intervals()
        {
            var at = ReadAt.ToList();
            return [.. at.Zip(at.Skip(1), (a, b) => Math.Round(b - a, 3))];
        }

        public int LinesContaining(string text) => Log.ToString().Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    [Fact]
    public async Task A_throttled_read_backs_off_doubling_with_jitter_and_armed_settings_stop_at_the_bound()
    {
        await using var ssm = await Ssm.StartAsync();
        (await ssm.InvokeUntilAsync(0.05)).ShouldHaveSingleItem().Status.ShouldBe(503);
        ssm.Reply = LoopbackServer.Json(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""");

        var statuses = await ssm.InvokeUntilAsync(80);

        // First retry at the armed TTL (5 s); then 1 s doubling, × 0.75 (jitter at 0.5), rounded up to the 50 ms tick.
        var intervals = ssm.Intervals();
        intervals[0].ShouldBe(5, 0.001);
        intervals.Skip(1).Take(5).ShouldBe([0.75, 1.5, 3, 6, 12], 0.051);
        intervals.ShouldAllBe(s => s <= 30);
        intervals.Skip(7).ShouldAllBe(s => Math.Abs(s - 22.5) < 0.051, "capped at the 30 s bound × 0.75");
        statuses.Where(s => s.At < 30).ShouldAllBe(s => s.Status == 503);
        statuses.Where(s => s.At >= 30).ShouldAllBe(s => s.Status == 200);
        ssm.LinesContaining("throttled (ThrottlingException): backing off").ShouldBeGreaterThan(0);
        ssm.LinesContaining("failing closed").ShouldBe(1);
    }

    public static TheoryData<string> TransientFailures => ["500 InternalServerError", "503 ServiceUnavailable", "connection aborted"];

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task A_network_error_or_5xx_is_retried_at_the_next_refresh_with_no_backoff(string failure)
    {
        await using var ssm = await Ssm.StartAsync();
        (await ssm.InvokeUntilAsync(0.05)).ShouldHaveSingleItem().Status.ShouldBe(503);
        ssm.Reply = failure == "connection aborted"
            ? context => { context.Abort(); return Task.CompletedTask; }
            : LoopbackServer.Json(int.Parse(failure[..3], System.Globalization.CultureInfo.InvariantCulture), $$"""{"__type":"{{failure[4..]}}","message":"oops"}""");

        var statuses = await ssm.InvokeUntilAsync(60);

        // Every 5 s (the armed TTL), the same load as when reads answer; past the 30 s bound, still every 5 s.
        ssm.Intervals().ShouldAllBe(s => Math.Abs(s - 5) < 0.001);
        ssm.ReadAt.Count.ShouldBe(12);
        statuses.Where(s => s.At < 30).ShouldAllBe(s => s.Status == 503);
        statuses.Where(s => s.At >= 30).ShouldAllBe(s => s.Status == 200);
        ssm.LinesContaining("retrying at the next refresh in 5 s").ShouldBeGreaterThan(0);

        // SSM answers again: armed at the next refresh.
        ssm.Reply = Ssm.Answer(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        (await ssm.InvokeUntilAsync(65)).Last().Status.ShouldBe(503);
    }

    public static TheoryData<int, string, string> DeniedReplies => new()
    {
        { 400, """{"__type":"AccessDeniedException","message":"User is not authorized to perform: ssm:GetParameters"}""", "AccessDeniedException" },
        { 400, """{"__type":"UnrecognizedClientException","message":"The security token included in the request is invalid."}""", "UnrecognizedClientException" },
        { 403, """<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>""", "HTTP 403" },
    };

    [Theory]
    [MemberData(nameof(DeniedReplies))]
    public async Task A_denied_read_disarms_at_once_logs_once_and_is_retried_after_the_idle_ttl(int status, string reply, string named)
    {
        await using var ssm = await Ssm.StartAsync();
        (await ssm.InvokeUntilAsync(0.05)).ShouldHaveSingleItem().Status.ShouldBe(503);
        ssm.Reply = LoopbackServer.Json(status, reply);

        var statuses = await ssm.InvokeUntilAsync(130);

        // Read at 5 s: denied, so disarmed from that invocation on (not kept until the 30 s bound); retried at 65 s and 125 s.
        ssm.ReadAt.Skip(1).ShouldBe([5, 65, 125], 0.001);
        statuses.Where(s => s.At < 5).ShouldAllBe(s => s.Status == 503);
        statuses.Where(s => s.At >= 5).ShouldAllBe(s => s.Status == 200);
        ssm.LinesContaining($"The chaos settings read was denied ({named})").ShouldBe(1);
        ssm.LinesContaining("\"level\":\"ERROR\"").ShouldBe(1, "one problem line for three denied reads");

        // Permission granted: the next read (after the idle TTL) arms again.
        ssm.Reply = Ssm.Answer(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        (await ssm.InvokeUntilAsync(186)).Last().Status.ShouldBe(503);
    }
}
