using ServerlessChaos.Cli.GameDay.Load;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Load;

public class LoadGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Requests_go_out_at_the_steady_rate_of_the_injected_clock_and_stop_at_the_duration()
    {
        var clock = new ManualTimeProvider(Start);
        var log = new RequestLog();
        var load = new LoadGenerator(_ => Task.FromResult(new LoadReply(200, null)), log, clock, ratePerSecond: 10, maxDuration: TimeSpan.FromSeconds(2));
        var run = load.RunAsync(CancellationToken.None);

        await clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(50));
        load.Sent.ShouldBeInRange(10, 11); // requests at 0.0, 0.1, ... 1.0 s

        await clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(50));
        await run;
        load.Sent.ShouldBe(20);
        log.Count.ShouldBe(20);
    }

    [Fact]
    public async Task Cancelling_stops_the_schedule_and_every_answer_is_still_recorded()
    {
        var clock = new ManualTimeProvider(Start);
        var log = new RequestLog();
        var load = new LoadGenerator(_ => Task.FromResult(new LoadReply(503, "statusCode")), log, clock, 5, TimeSpan.FromMinutes(1));
        using var cts = new CancellationTokenSource();
        var run = load.RunAsync(cts.Token);

        await clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));
        cts.Cancel();
        await run;

        load.Sent.ShouldBeInRange(5, 6);
        log.Count.ShouldBe(load.Sent);
        log.Snapshot().ShouldAllBe(s => s.StatusCode == 503 && s.InjectedFault == "statusCode" && s.IsServerError);
    }

    [Fact]
    public async Task A_failed_request_is_recorded_as_status_0_with_its_latency()
    {
        var clock = new ManualTimeProvider(Start);
        var log = new RequestLog();
        var load = new LoadGenerator(
            async _ =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(250));
                await Task.Yield();
                throw new HttpRequestException("refused");
            },
            log,
            clock,
            1,
            TimeSpan.FromSeconds(1));

        await load.RunAsync(CancellationToken.None);

        var sample = log.Snapshot().ShouldHaveSingleItem();
        sample.StatusCode.ShouldBe(0);
        sample.LatencyMs.ShouldBe(250);
        sample.IsServerError.ShouldBeTrue();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5000)]
    public void A_rate_outside_the_bounds_is_refused(double rate)
    {
        Should.Throw<ArgumentOutOfRangeException>(() => new LoadGenerator(_ => Task.FromResult(new LoadReply(200, null)), new RequestLog(), TimeProvider.System, rate, TimeSpan.FromSeconds(1)))
            .Message.ShouldContain("between 0.1 and 1000");
    }
}
