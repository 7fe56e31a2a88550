using System.Globalization;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// Measured simulations on a hand-moved clock (no sleeping): SSM reads per process while idle, time from a disarm to
/// the last injected fault, fail closed and the fleet. Run with <c>--wrapper-simulations</c> (the cold start is
/// <see cref="ColdStartRuns"/>).
/// </summary>
public static class WrapperSimulations
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly Task<WrapperBenchResponse> Ok = Task.FromResult(new WrapperBenchResponse { StatusCode = 200 });

    private static string Armed(string faults) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"2099-01-01T00:00:00Z","experimentId":"sim","faults":[{{faults}}]}""";

    public static void Run(TextWriter output)
    {
        output.WriteLine(SsmReadsWhileIdle(TimeSpan.FromMinutes(10), 100));
        output.WriteLine(DisarmToLastFault(TimeSpan.FromMilliseconds(40)));
        output.WriteLine(FailClosedSimulations.StoreFailsFromT("throttled", TimeSpan.Zero));
        output.WriteLine(FailClosedSimulations.StoreFailsFromT("unreachable", TimeSpan.FromMilliseconds(250)));
        output.WriteLine(FailClosedSimulations.Fleet(1000, 40));
    }

    /// <summary>Invocations at <paramref name="perSecond"/> for <paramref name="duration"/> with the parameter disarmed.</summary>
    public static string SsmReadsWhileIdle(TimeSpan duration, int perSecond)
    {
        var clock = new WrapperSimulatedClock(Start);
        var source = new InMemorySettingsSource("""{"version":1,"enabled":false}""");
        var wrapper = new ChaosWrapper(source, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null });
        var handler = wrapper.Decorate<WrapperBenchRequest, WrapperBenchContext, WrapperBenchResponse>((_, _) => Ok);
        var step = TimeSpan.FromTicks(TimeSpan.TicksPerSecond / perSecond);
        var invocations = 0;
        var request = new WrapperBenchRequest();
        var context = new WrapperBenchContext();
        for (var t = TimeSpan.Zero; t < duration; t += step)
        {
            clock.Now = Start + t;
            handler(request, context).GetAwaiter().GetResult();
            invocations++;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"idle reads: {source.FetchCount} settings reads (GetParameters calls) for {invocations} invocations over {duration.TotalMinutes} simulated minutes at {perSecond}/s (idle TTL {wrapper.Options.IdleTtl.TotalSeconds} s)");
    }

    /// <summary>
    /// Armed status-code fault at rate 1 and 100 invocations/s; the parameter is disarmed at every 100 ms offset within
    /// one armed-TTL cycle. Each read takes <paramref name="fetchTime"/> of simulated time and returns the value as of its start.
    /// </summary>
    public static string DisarmToLastFault(TimeSpan fetchTime)
    {
        var worst = TimeSpan.Zero;
        var samples = 0;
        TimeSpan armedTtl = default;
        for (var offset = TimeSpan.Zero; offset < TimeSpan.FromSeconds(5); offset += TimeSpan.FromMilliseconds(100))
        {
            var clock = new WrapperSimulatedClock(Start);
            var source = new SlowSource(clock, fetchTime, Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
            var wrapper = new ChaosWrapper(source, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null, FetchBudget = TimeSpan.FromSeconds(1) });
            armedTtl = wrapper.Options.ArmedTtl;
            var handler = wrapper.Decorate<WrapperBenchRequest, WrapperBenchContext, WrapperBenchResponse>((_, _) => Ok);
            var disarmAt = Start + TimeSpan.FromSeconds(7) + offset;
            DateTimeOffset? lastFault = null;
            for (var t = TimeSpan.Zero; t < TimeSpan.FromSeconds(30); t += TimeSpan.FromMilliseconds(10))
            {
                if (clock.Now < Start + t)
                {
                    clock.Now = Start + t;
                }

                if (clock.Now >= disarmAt)
                {
                    source.Settings = """{"version":1,"enabled":false}""";
                }

                var response = handler(new WrapperBenchRequest(), new WrapperBenchContext()).GetAwaiter().GetResult();
                if (response.StatusCode == 503)
                {
                    lastFault = clock.Now;
                }
            }

            var lag = lastFault is null || lastFault < disarmAt ? TimeSpan.Zero : lastFault.Value - disarmAt;
            worst = lag > worst ? lag : worst;
            samples++;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"disarm to last fault: worst {worst.TotalMilliseconds:F0} ms over {samples} disarm moments (armed TTL {armedTtl.TotalMilliseconds:F0} ms + one read of {fetchTime.TotalMilliseconds:F0} ms = {(armedTtl + fetchTime).TotalMilliseconds:F0} ms bound)");
    }

    private sealed class SlowSource(WrapperSimulatedClock clock, TimeSpan fetchTime, string settings) : IChaosSettingsSource
    {
        public string? Settings { get; set; } = settings;

        public string Description => "simulated-ssm";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            // The value is read when the request reaches SSM; the reply arrives fetchTime later.
            var value = Settings;
            clock.Now += fetchTime;
            return new ValueTask<SettingsDocument>(new SettingsDocument(value, null));
        }
    }
}
