using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class ClockSkewTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> ReadClock(ChaosWrapper wrapper, List<DateTimeOffset> seen) =>
        (_, _) =>
        {
            seen.Add(wrapper.Time.GetUtcNow());
            return Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Headers = new Dictionary<string, string>() });
        };

    [Fact]
    public async Task Given_a_skew_ahead_the_handler_sees_a_later_time_and_nothing_else_does()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":1,"offsetMs":3600000}"""));
        var seen = new List<DateTimeOffset>();
        DateTimeOffset optionsClockInside = default;

        var response = await harness.Wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), harness.Context(), (r, c) =>
        {
            optionsClockInside = harness.Clock.GetUtcNow();
            return ReadClock(harness.Wrapper, seen)(r, c);
        });

        seen.ShouldBe([Start.AddHours(1)]);
        optionsClockInside.ShouldBe(Start, "only the wrapper's Time is skewed, not the clock it was given");
        harness.Wrapper.Time.GetUtcNow().ShouldBe(Start, "the skew ends with the invocation");
        response.Headers["X-Chaos-Injected"].ShouldBe("clockSkew");
        var line = harness.FaultLines.Single();
        line.GetProperty("timestamp").GetString().ShouldBe("2026-11-22T00:00:00.0000000Z", "the wrapper's own log keeps true time");
        line.GetProperty("details").GetProperty("offsetMs").GetInt64().ShouldBe(3_600_000);
        line.GetProperty("details").GetProperty("functionTime").GetString().ShouldBe("2026-11-22T01:00:00.0000000Z");
        harness.MetricLines.Single().GetProperty("FaultType").GetString().ShouldBe("clockSkew");
    }

    [Fact]
    public async Task Given_a_rate_below_the_random_draw_the_clock_is_not_skewed()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":0.4,"offsetMs":-60000}"""), Sequence.Always(0.5));
        var seen = new List<DateTimeOffset>();

        var response = await harness.Wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), harness.Context(), ReadClock(harness.Wrapper, seen));

        seen.ShouldBe([Start]);
        response.Headers.ShouldNotContainKey("X-Chaos-Injected");
        harness.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_token_valid_for_five_minutes_looks_expired_to_a_handler_whose_clock_is_ten_minutes_ahead()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":0.6,"offsetMs":600000}"""), Sequence.Always(0.5));
        var tokenExpiresAt = Start.AddMinutes(5);
        var verdicts = new List<bool>();
        Task Handler(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context)
        {
            verdicts.Add(harness.Wrapper.Time.GetUtcNow() >= tokenExpiresAt);
            return Task.CompletedTask;
        }

        await harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new(), harness.Context(), Handler);
        harness.Source.Settings = Documents.Disarmed;
        harness.Clock.Advance(TimeSpan.FromSeconds(6));
        await harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new(), harness.Context(), Handler);

        verdicts.ShouldBe([true, false]);
    }

    [Fact]
    public async Task A_drifting_skew_grows_on_every_hit_and_keeps_growing_across_settings_refreshes()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":1,"offsetMs":-1000,"driftMs":-500}"""));
        var offsets = new List<TimeSpan>();
        for (var i = 0; i < 3; i++)
        {
            await harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new(), harness.Context(), (_, _) =>
            {
                offsets.Add(harness.Wrapper.Time.GetUtcNow() - harness.Clock.GetUtcNow());
                return Task.CompletedTask;
            });

            // Past the armed TTL: the same settings are read again before the next invocation.
            harness.Clock.Advance(TimeSpan.FromSeconds(6));
        }

        offsets.ShouldBe([TimeSpan.FromMilliseconds(-1000), TimeSpan.FromMilliseconds(-1500), TimeSpan.FromMilliseconds(-2000)]);
        harness.FaultLines.Select(l => l.GetProperty("details").GetProperty("hit").GetInt32()).ShouldBe([1, 2, 3]);
    }

    [Fact]
    public async Task A_concurrent_invocation_the_fault_did_not_hit_reads_true_time_while_the_skewed_one_runs()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":1,"offsetMs":86400000,"match":{"path":"rawPath","value":"/skewed"}}"""));
        var inside = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        DateTimeOffset skewedSeen = default, plainSeen = default;

        var skewed = harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new() { RawPath = "/skewed" }, harness.Context(), async (_, _) =>
        {
            inside.SetResult();
            await release.Task;
            skewedSeen = harness.Wrapper.Time.GetUtcNow();
        });
        await inside.Task;
        await harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new() { RawPath = "/plain" }, harness.Context(), (_, _) =>
        {
            plainSeen = harness.Wrapper.Time.GetUtcNow();
            return Task.CompletedTask;
        });
        release.SetResult();
        await skewed;

        (skewedSeen, plainSeen).ShouldBe((Start.AddDays(1), Start));
    }

    [Fact]
    public async Task Stream_handlers_see_the_skewed_clock_too()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":1,"offsetMs":-86400000}"""));
        DateTimeOffset seen = default;

        var output = await harness.Wrapper.InvokeStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes("{}")), harness.Context(), (_, _) =>
        {
            seen = harness.Wrapper.Time.GetUtcNow();
            return Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("""{"statusCode":200}""")));
        });

        seen.ShouldBe(Start.AddDays(-1));
        using var document = JsonDocument.Parse(output);
        document.RootElement.GetProperty("headers").GetProperty("X-Chaos-Injected").GetString().ShouldBe("clockSkew");
    }

    [Fact]
    public async Task Timestamps_are_never_skewed_so_elapsed_time_measured_by_the_function_stays_true()
    {
        var harness = new Harness(Documents.Armed("""{"type":"clockSkew","rate":1,"offsetMs":3600000}"""));
        long timestamp = 0;

        await harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext>(new(), harness.Context(), (_, _) =>
        {
            timestamp = harness.Wrapper.Time.GetTimestamp();
            return Task.CompletedTask;
        });

        timestamp.ShouldBe(harness.Clock.GetTimestamp());
        harness.FaultLines.Count.ShouldBe(1);
    }
}
