using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Alarms;

public class AlarmMonitorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    private static void Requests(RequestLog log, int periodIndex, int count, double latencyMs, int status = 200)
    {
        for (var i = 0; i < count; i++)
        {
            log.Add(new RequestSample(Start + TimeSpan.FromSeconds((periodIndex * 5) + 0.1 + (i * 0.01)), latencyMs, status, null));
        }
    }

    [Fact]
    public async Task A_latency_alarm_goes_insufficient_data_then_ok_then_alarm_then_ok_as_periods_complete()
    {
        var clock = new ManualTimeProvider(Start);
        var log = new RequestLog();
        var published = new List<(string, AlarmState)>();
        var alarm = new AlarmDefinition("p99", AlarmMetric.P99LatencyMs, 500, ComparisonOperator.GreaterThanThreshold, TimeSpan.FromSeconds(5), 3, 2);
        var monitor = new AlarmMonitor([alarm], log, clock, Start, (name, state, _, _) =>
        {
            published.Add((name, state));
            return Task.CompletedTask;
        });

        Requests(log, 0, 10, 50);
        Requests(log, 1, 10, 900);
        Requests(log, 2, 10, 900);
        Requests(log, 3, 10, 50);
        Requests(log, 4, 10, 50);

        await monitor.EvaluateAsync(CancellationToken.None);
        monitor.States["p99"].ShouldBe(AlarmState.InsufficientData); // no period has completed

        clock.Advance(TimeSpan.FromSeconds(5));
        await monitor.EvaluateAsync(CancellationToken.None);
        monitor.States["p99"].ShouldBe(AlarmState.Ok);

        clock.Advance(TimeSpan.FromSeconds(5));
        await monitor.EvaluateAsync(CancellationToken.None);
        monitor.States["p99"].ShouldBe(AlarmState.Ok); // one breach of three is below M

        clock.Advance(TimeSpan.FromSeconds(5));
        await monitor.EvaluateAsync(CancellationToken.None);
        monitor.States["p99"].ShouldBe(AlarmState.Alarm);

        clock.Advance(TimeSpan.FromSeconds(5));
        await monitor.EvaluateAsync(CancellationToken.None);
        monitor.States["p99"].ShouldBe(AlarmState.Alarm); // still two of the last three

        clock.Advance(TimeSpan.FromSeconds(5));
        await monitor.EvaluateAsync(CancellationToken.None);
        monitor.States["p99"].ShouldBe(AlarmState.Ok);

        published.ShouldBe([("p99", AlarmState.Ok), ("p99", AlarmState.Alarm), ("p99", AlarmState.Ok)]);
        monitor.Transitions.Select(t => t.At - Start).ShouldBe([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(25)]);
    }

    [Fact]
    public void The_5xx_rate_datapoint_is_the_share_of_server_errors_in_the_period()
    {
        var log = new RequestLog();
        Requests(log, 0, 8, 20, 200);
        Requests(log, 0, 2, 20, 503);
        var alarm = new AlarmDefinition("5xx", AlarmMetric.ServerErrorRatePercent, 5, ComparisonOperator.GreaterThanThreshold, TimeSpan.FromSeconds(5), 3, 2);
        var monitor = new AlarmMonitor([alarm], log, TimeProvider.System, Start, (_, _, _, _) => Task.CompletedTask);

        monitor.Datapoints(alarm, Start + TimeSpan.FromSeconds(11)).ShouldBe([20.0, null]);
    }

    [Fact]
    public async Task Running_the_monitor_evaluates_at_every_period_boundary_of_the_injected_clock()
    {
        var clock = new ManualTimeProvider(Start);
        var log = new RequestLog();
        Requests(log, 0, 5, 900);
        Requests(log, 1, 5, 900);
        var alarm = new AlarmDefinition("p99", AlarmMetric.P99LatencyMs, 500, ComparisonOperator.GreaterThanThreshold, TimeSpan.FromSeconds(5), 2, 2);
        var monitor = new AlarmMonitor([alarm], log, clock, Start, (_, _, _, _) => Task.CompletedTask);
        using var cts = new CancellationTokenSource();
        var run = monitor.RunAsync(cts.Token);

        await clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(6), TimeSpan.FromMilliseconds(500));
        monitor.States["p99"].ShouldBe(AlarmState.Ok); // one breaching datapoint, and it is the newest: too early for ALARM
        await clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500));
        monitor.States["p99"].ShouldBe(AlarmState.Alarm);

        cts.Cancel();
        await run;
    }
}
