using ServerlessChaos.Cli.GameDay.Metrics;

namespace ServerlessChaos.Cli.Tests.Load;

public class RequestLogTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void P99_of_a_hundred_requests_is_the_99th_slowest_and_p50_the_50th()
    {
        List<double> values = [.. Enumerable.Range(1, 100).Select(i => (double)i).Reverse()];
        var stats = RequestLog.Summarize(values, 0, 0, 0);
        stats.P99Ms.ShouldBe(99);
        stats.P50Ms.ShouldBe(50);
    }

    [Fact]
    public void P99_of_a_few_requests_is_the_slowest()
    {
        RequestLog.Summarize([10, 30, 20], 0, 0, 0).P99Ms.ShouldBe(30);
    }

    [Fact]
    public void A_window_counts_only_requests_completed_inside_it_and_the_error_rate_counts_5xx_and_no_answer()
    {
        var log = new RequestLog();
        log.Add(new RequestSample(Start.AddSeconds(0.5), 10, 200, null));
        log.Add(new RequestSample(Start.AddSeconds(1.5), 20, 503, "statusCode"));
        log.Add(new RequestSample(Start.AddSeconds(1.6), 30, 0, null));
        log.Add(new RequestSample(Start.AddSeconds(1.7), 40, 404, null));
        log.Add(new RequestSample(Start.AddSeconds(2.0), 50, 200, null));

        var stats = log.Window(Start.AddSeconds(1), Start.AddSeconds(2));

        stats.Count.ShouldBe(3);
        stats.ServerErrors.ShouldBe(2);
        stats.Injected.ShouldBe(1);
        stats.ErrorRatePercent.ShouldBe(200.0 / 3, tolerance: 0.001);
        stats.InjectedErrors.ShouldBe(1); // the 503 the wrapper injected
        stats.NotInjectedErrors.ShouldBe(1); // the unanswered request: a cascade
        stats.NotInjectedErrorRatePercent.ShouldBe(100.0 / 3, tolerance: 0.001);
    }
}
