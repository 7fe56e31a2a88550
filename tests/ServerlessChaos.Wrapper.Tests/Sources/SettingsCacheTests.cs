using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

public class SettingsCacheTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static Task<APIGatewayHttpApiV2ProxyResponse> Invoke(Harness harness) =>
        harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

    [Fact]
    public async Task While_idle_settings_are_read_once_per_idle_ttl()
    {
        var harness = new Harness(Documents.Disarmed);

        for (var second = 0; second < 180; second++)
        {
            await Invoke(harness);
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        harness.Source.FetchCount.ShouldBe(3);
    }

    [Fact]
    public async Task While_armed_settings_are_read_once_per_armed_ttl_so_a_disarm_lands_within_it()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));

        (await Invoke(harness)).StatusCode.ShouldBe(503);
        harness.Source.Settings = Documents.Disarmed;
        harness.Clock.Advance(TimeSpan.FromSeconds(4.9));
        (await Invoke(harness)).StatusCode.ShouldBe(503);
        harness.Clock.Advance(TimeSpan.FromSeconds(0.1));
        (await Invoke(harness)).StatusCode.ShouldBe(200);

        harness.Source.FetchCount.ShouldBe(2);
    }

    [Fact]
    public async Task A_halt_lands_within_the_armed_ttl()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));

        (await Invoke(harness)).StatusCode.ShouldBe(503);
        harness.Source.Halt = "true";
        harness.Clock.Advance(TimeSpan.FromSeconds(5));

        (await Invoke(harness)).StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task Both_lifetimes_are_configurable()
    {
        var harness = new Harness(Documents.Disarmed, configure: o => o.IdleTtl = TimeSpan.FromSeconds(10));

        for (var second = 0; second < 30; second++)
        {
            await Invoke(harness);
            harness.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        harness.Source.FetchCount.ShouldBe(3);
    }

    [Fact]
    public async Task Concurrent_invocations_share_one_read_in_flight()
    {
        var source = new GatedSource();
        var clock = new ManualTimeProvider();
        var wrapper = new ChaosWrapper(source, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null });

        var first = wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(1));
        var others = Enumerable.Range(0, 20).Select(_ => wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(2))).ToList();
        source.Release(Documents.Disarmed);
        await first;
        await Task.WhenAll(others);

        source.Calls.ShouldBe(1);
    }

    [Fact]
    public async Task A_source_that_throws_at_once_means_no_chaos_and_one_line()
    {
        var log = new StringWriter();
        var clock = new ManualTimeProvider();
        var wrapper = new ChaosWrapper(new ThrowingSource(), new ChaosOptions { TimeProvider = clock, LogWriter = log });

        var result = await wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult("own"));
        var again = await wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult("own"));

        (result, again).ShouldBe(("own", "own"));
        log.ToString().Trim().Split('\n').Length.ShouldBe(1);
    }

    [Theory]
    [InlineData(120, 30, 61)]
    [InlineData(10, 5, 6)]
    public async Task Last_good_settings_stay_while_reads_fail_until_they_expire_or_grow_too_stale(int maxStaleMinutes, int stillArmedAfter, int disarmedAfterMore)
    {
        // Armed until 01:00; the clock starts at 00:00.
        var source = new FlakySource(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        var clock = new ManualTimeProvider();
        var wrapper = new ChaosWrapper(source, new ChaosOptions
        {
            TimeProvider = clock, LogWriter = TextWriter.Null, Randomizer = Sequence.Always(0.5), MaxStaleness = TimeSpan.FromMinutes(maxStaleMinutes),
        });
        async Task<int> Status() => (await wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }))).StatusCode;
        (await Status()).ShouldBe(503);

        source.Failing = true;
        clock.Advance(TimeSpan.FromMinutes(stillArmedAfter));
        (await Status()).ShouldBe(503);
        clock.Advance(TimeSpan.FromMinutes(disarmedAfterMore));
        (await Status()).ShouldBe(200);
        source.Calls.ShouldBeGreaterThan(2);
    }

    private sealed class GatedSource : IChaosSettingsSource
    {
        private readonly TaskCompletionSource<SettingsDocument> _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public int Calls => _calls;

        public string Description => "gated";

        public void Release(string settings) => _gate.SetResult(new SettingsDocument(settings, null));

        public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return await _gate.Task;
        }
    }

    private sealed class FlakySource(string settings) : IChaosSettingsSource
    {
        public bool Failing { get; set; }

        public int Calls { get; private set; }

        public string Description => "flaky";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            Calls++;
            return Failing ? throw new HttpRequestException("unreachable") : new ValueTask<SettingsDocument>(new SettingsDocument(settings, null));
        }
    }

    private sealed class ThrowingSource : IChaosSettingsSource
    {
        public string Description => "throwing";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("store down");
    }
}

public sealed class SettingsCacheLockTests
{
    /// <summary>A source that completes synchronously and notes whether the cache's lock was held while it ran.</summary>
    private sealed class LockProbeSource : IChaosSettingsSource
    {
        public SettingsCache? Cache { get; set; }

        public bool? LockHeld { get; private set; }

        public string Description => "probe";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            LockHeld = Cache!.LockHeldByCurrentThread;
            return ValueTask.FromResult(new SettingsDocument(Documents.Disarmed, null));
        }
    }

    [Fact]
    public async Task The_settings_read_never_starts_inside_the_caches_lock()
    {
        var source = new LockProbeSource();
        var options = new ChaosOptions { TimeProvider = new ServerlessChaos.Testing.ManualTimeProvider(), LogWriter = TextWriter.Null };
        var cache = new SettingsCache(source, options, new ServerlessChaos.Wrapper.Telemetry.ChaosTelemetry(TextWriter.Null, options.TimeProvider), new ChaosClock(options.TimeProvider));
        source.Cache = cache;

        var snapshot = await cache.RefreshAsync();

        source.LockHeld.ShouldBe(false);
        snapshot.ShouldNotBeNull();
    }
}
