using System.Globalization;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Sources.Ssm;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// Fail-closed and fleet simulations on a hand-moved clock (no sleeping), run with <c>--wrapper-simulations</c>:
/// SSM throttled or unreachable from moment T (time of the last injected fault), and 1,000 armed environments sharing
/// one account's 40 TPS GetParameters limit (reads, throttles, disarm latency).
/// </summary>
public static class FailClosedSimulations
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly Task<WrapperBenchResponse> Ok = Task.FromResult(new WrapperBenchResponse { StatusCode = 200 });
    private const string ArmedSettings = """{"version":1,"enabled":true,"expiresAt":"2099-01-01T00:00:00Z","experimentId":"sim","faults":[{"type":"statusCode","rate":1,"statusCode":503}]}""";
    private const string DisarmedSettings = """{"version":1,"enabled":false}""";

    /// <summary>
    /// One armed environment invoked 100 times a second; SSM fails from T on (T at every 500 ms offset within the first
    /// 30 s). <paramref name="failTime"/> is how long a failing read takes (0: throttled at once; an unreachable
    /// endpoint costs the fetch budget).
    /// </summary>
    public static string StoreFailsFromT(string mode, TimeSpan failTime)
    {
        var worst = TimeSpan.Zero;
        var samples = 0;
        TimeSpan bound = default;
        for (var offset = TimeSpan.FromSeconds(1); offset < TimeSpan.FromSeconds(31); offset += TimeSpan.FromMilliseconds(500))
        {
            var clock = new WrapperSimulatedClock(Start);
            var failFrom = Start + offset;
            var source = new FailingFromSource(clock, failFrom, failTime, mode);
            var wrapper = new ChaosWrapper(source, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null, Randomizer = new Random(samples).NextDouble, RefreshRandomizer = new Random(1000 + samples).NextDouble });
            bound = wrapper.Options.MaxUnconfirmedArmed;
            var handler = wrapper.Decorate<WrapperBenchRequest, WrapperBenchContext, WrapperBenchResponse>((_, _) => Ok);
            DateTimeOffset? lastFault = null;
            for (var t = TimeSpan.Zero; t < TimeSpan.FromSeconds(150); t += TimeSpan.FromMilliseconds(10))
            {
                if (clock.Now < Start + t)
                {
                    clock.Now = Start + t;
                }

                if (handler(new WrapperBenchRequest(), new WrapperBenchContext()).GetAwaiter().GetResult().StatusCode == 503)
                {
                    lastFault = clock.Now;
                }
            }

            var lag = lastFault is null || lastFault < failFrom ? TimeSpan.Zero : lastFault.Value - failFrom;
            worst = lag > worst ? lag : worst;
            samples++;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"fail closed ({mode}, failing read takes {failTime.TotalMilliseconds:F0} ms): last injected fault at most T + {worst.TotalSeconds:F2} s over {samples} failure moments T (bound MaxUnconfirmedArmed = {bound.TotalSeconds:F0} s)");
    }

    /// <summary>
    /// <paramref name="environments"/> armed execution environments (default options, 5 s armed TTL), each invoked 10
    /// times a second, all cold-started at 0 s, sharing a token bucket of <paramref name="tps"/> reads a second (burst
    /// = one second's worth; a read over it is a ThrottlingException). Disarmed at 120 s; runs to 240 s.
    /// </summary>
    public static string Fleet(int environments, int tps)
    {
        var clock = new WrapperSimulatedClock(Start);
        var account = new Account(clock, tps) { Settings = ArmedSettings };
        var handlers = new List<Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>>>();
        TimeSpan armedTtl = default;
        for (var i = 0; i < environments; i++)
        {
            var random = new Random(i);
            var wrapper = new ChaosWrapper(new AccountSource(account), new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null, Randomizer = random.NextDouble, RefreshRandomizer = random.NextDouble });
            armedTtl = wrapper.Options.ArmedTtl;
            handlers.Add(wrapper.Decorate<WrapperBenchRequest, WrapperBenchContext, WrapperBenchResponse>((_, _) => Ok));
        }

        var disarmAt = TimeSpan.FromSeconds(120);
        var end = TimeSpan.FromSeconds(240);
        var lastFault = new TimeSpan?[environments];
        long armedInvocations = 0, armedFaults = 0;
        var order = Enumerable.Range(0, environments).ToArray();
        var shuffle = new Random(42);
        for (var t = TimeSpan.Zero; t < end; t += TimeSpan.FromMilliseconds(100))
        {
            shuffle.Shuffle(order);
            if (t == disarmAt)
            {
                account.Settings = DisarmedSettings;
            }

            foreach (var i in order)
            {
                clock.Now = Start + t;
                var faulted = handlers[i](new WrapperBenchRequest(), new WrapperBenchContext()).GetAwaiter().GetResult().StatusCode == 503;
                if (t >= disarmAt && faulted)
                {
                    lastFault[i] = t;
                }

                if (t >= TimeSpan.FromSeconds(60) && t < disarmAt)
                {
                    armedInvocations++;
                    armedFaults += faulted ? 1 : 0;
                }
            }
        }

        // Steady state while armed (60-120 s) and while disarmed (180-240 s).
        static double PerSecond(List<TimeSpan> times, double from, double to) => times.Count(x => x.TotalSeconds >= from && x.TotalSeconds < to) / (to - from);
        var latencies = lastFault.Select(l => l is null ? 0.0 : (l.Value - disarmAt).TotalSeconds).Order().ToList();
        double Percentile(double p) => latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        return string.Create(CultureInfo.InvariantCulture,
            $"fleet: {environments} armed environments, armed TTL {armedTtl.TotalSeconds:F0} s, {tps} TPS account limit, 10 invocations/s each; "
            + $"while armed (60-120 s): {PerSecond(account.Calls, 60, 120):F1} reads/s, {PerSecond(account.Throttles, 60, 120):F1} throttled/s, {PerSecond(account.Calls, 60, 120) - PerSecond(account.Throttles, 60, 120):F1} answered/s, "
            + $"{100.0 * armedFaults / Math.Max(1, armedInvocations):F1}% of invocations injected (the rest failed closed); "
            + $"first 10 s after cold start: {account.Throttles.Count(x => x.TotalSeconds < 10)} throttled of {account.Calls.Count(x => x.TotalSeconds < 10)} reads; "
            + $"disarm to last fault p50 {Percentile(0.50):F1} s, p99 {Percentile(0.99):F1} s, max {latencies[^1]:F1} s; "
            + $"after the disarm (180-240 s, idle TTL): {PerSecond(account.Calls, 180, 240):F1} reads/s, {PerSecond(account.Throttles, 180, 240):F1} throttled/s");
    }

    /// <summary>What the wrapper's SSM reader throws for HTTP 400 <c>{"__type":"ThrottlingException"}</c>.</summary>
    private static SsmReadException Throttled() => new("SSM GetParameters failed with HTTP 400 ThrottlingException: Rate exceeded", "ThrottlingException", 400);

    private sealed class FailingFromSource(WrapperSimulatedClock clock, DateTimeOffset failFrom, TimeSpan failTime, string mode) : IChaosSettingsSource
    {
        public string Description => "simulated-ssm";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            if (clock.Now < failFrom)
            {
                return new ValueTask<SettingsDocument>(new SettingsDocument(ArmedSettings, null));
            }

            clock.Now += failTime;
            throw mode == "throttled" ? Throttled() : new HttpRequestException("unreachable");
        }
    }

    /// <summary>One account and region: a token bucket of GetParameters calls shared by every environment.</summary>
    private sealed class Account(WrapperSimulatedClock clock, int tps)
    {
        private double _tokens = tps;
        private DateTimeOffset _last = clock.Now;

        public string Settings { get; set; } = DisarmedSettings;

        public List<TimeSpan> Calls { get; } = [];

        public List<TimeSpan> Throttles { get; } = [];

        public bool TryTake()
        {
            var now = clock.Now;
            _tokens = Math.Min(tps, _tokens + ((now - _last).TotalSeconds * tps));
            _last = now;
            Calls.Add(now - Start);
            if (_tokens >= 1)
            {
                _tokens--;
                return true;
            }

            Throttles.Add(now - Start);
            return false;
        }
    }

    private sealed class AccountSource(Account account) : IChaosSettingsSource
    {
        public string Description => "simulated-ssm";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken) =>
            account.TryTake()
                ? new ValueTask<SettingsDocument>(new SettingsDocument(account.Settings, null))
                : throw Throttled();
    }
}
