using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class LatencyAndTimeoutTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static Task<APIGatewayHttpApiV2ProxyResponse> Invoke(Harness harness, TimeSpan? remaining, Action onHandler) =>
        harness.Wrapper.InvokeAsync(Get, harness.Context(remaining), (_, _) =>
        {
            onHandler();
            return Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 });
        });

    [Fact]
    public async Task Given_latency_within_rate_the_handler_starts_only_after_the_uniform_delay()
    {
        // 0.5 for the rate roll (0.6 > 0.5 fires), 0.5 for the delay: 200 + 0.5 * 600 = 500 ms.
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":0.6,"minMs":200,"maxMs":800}"""));
        var started = false;

        var invocation = Invoke(harness, null, () => started = true);
        await harness.UntilTimerPendingAsync();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(499));
        started.ShouldBeFalse();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(1));
        var response = await invocation;

        started.ShouldBeTrue();
        response.Headers["X-Chaos-Injected"].ShouldBe("latency");
        harness.FaultLines.Single().GetProperty("details").GetProperty("delayMs").GetInt64().ShouldBe(500);
    }

    [Fact]
    public async Task Given_latency_outside_rate_the_handler_starts_at_once()
    {
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":0.4,"ms":5000}"""));
        var started = false;

        await Invoke(harness, null, () => started = true);

        started.ShouldBeTrue();
        harness.Clock.PendingTimers.ShouldBe(0);
        harness.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task Latency_is_cut_so_it_never_pushes_the_invocation_past_its_deadline()
    {
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":1,"ms":5000}"""));
        var started = false;

        // 1 s left, 100 ms default margin: at most 900 ms of delay.
        var invocation = Invoke(harness, TimeSpan.FromSeconds(1), () => started = true);
        await harness.UntilTimerPendingAsync();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(900));
        await invocation;

        started.ShouldBeTrue();
        harness.FaultLines.Single().GetProperty("details").GetProperty("delayMs").GetInt64().ShouldBe(900);
    }

    [Fact]
    public async Task Latency_may_pass_the_deadline_only_when_the_settings_allow_it()
    {
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":1,"ms":5000,"allowPastDeadline":true}"""));
        var started = false;

        var invocation = Invoke(harness, TimeSpan.FromSeconds(1), () => started = true);
        await harness.UntilTimerPendingAsync();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(4999));
        started.ShouldBeFalse();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await invocation;

        started.ShouldBeTrue();
    }

    [Fact]
    public async Task With_no_time_left_latency_adds_nothing()
    {
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":1,"ms":5000}"""));
        var started = false;

        await Invoke(harness, TimeSpan.FromMilliseconds(50), () => started = true);

        started.ShouldBeTrue();
        harness.FaultLines.Single().GetProperty("details").GetProperty("delayMs").GetInt64().ShouldBe(0);
    }

    [Fact]
    public async Task Timeout_holds_the_invocation_until_the_buffer_before_its_deadline()
    {
        var harness = new Harness(Documents.Armed("""{"type":"timeout","rate":1,"bufferMs":50}"""));
        var startedAt = (DateTimeOffset?)null;

        var invocation = Invoke(harness, TimeSpan.FromSeconds(3), () => startedAt = harness.Clock.GetUtcNow());
        await harness.UntilTimerPendingAsync();
        var begin = harness.Clock.GetUtcNow();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(2949));
        startedAt.ShouldBeNull();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await invocation;

        (startedAt!.Value - begin).ShouldBe(TimeSpan.FromMilliseconds(2950));
        harness.FaultLines.Single().GetProperty("fault").GetString().ShouldBe("timeout");
    }

    [Fact]
    public async Task Timeout_without_a_known_deadline_does_nothing()
    {
        var harness = new Harness(Documents.Armed("""{"type":"timeout","rate":1}"""));

        var response = await harness.Wrapper.InvokeAsync(Get, (object?)null, (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

        response.StatusCode.ShouldBe(200);
        harness.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_context_with_an_absurd_remaining_time_cannot_break_the_invocation()
    {
        var harness = new Harness(Documents.Armed("""{"type":"timeout","rate":1}""", """{"type":"latency","rate":1,"ms":0}"""));

        var response = await harness.Wrapper.InvokeAsync(Get, new EndlessContext(), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

        response.StatusCode.ShouldBe(200);
        harness.ProblemLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_fault_that_fails_to_apply_is_skipped_and_the_handler_answers()
    {
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":1,"minMs":0,"maxMs":10}"""), () => throw new InvalidOperationException("random source broke"));
        var calls = 0;

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) =>
        {
            calls++;
            return Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 });
        });

        (response.StatusCode, calls).ShouldBe((200, 1));
        harness.ProblemLines.ShouldHaveSingleItem().GetProperty("exception").GetString()!.ShouldContain("random source broke");
    }

    private sealed class EndlessContext
    {
        public TimeSpan RemainingTime => TimeSpan.MaxValue;

        public string AwsRequestId => "r";
    }
}
