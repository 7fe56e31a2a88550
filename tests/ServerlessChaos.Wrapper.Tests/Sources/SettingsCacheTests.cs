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
    public async Task A_parameter_deleted_and_put_again_at_version_1_with_other_settings_applies_the_new_settings()
    {
        // SSM starts a deleted parameter's versions over: the game day's second experiment arms version 1 again.
        var source = new VersionedSource { Document = new SettingsDocument(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), null, "/p#1") };
        var clock = new ManualTimeProvider();
        var wrapper = new ChaosWrapper(source, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null, ArmedTtl = TimeSpan.FromSeconds(1), IdleTtl = TimeSpan.FromSeconds(1) });
        Task<APIGatewayHttpApiV2ProxyResponse> Call() => wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

        (await Call()).StatusCode.ShouldBe(503);
        source.Document = new SettingsDocument(null, null);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await Call()).StatusCode.ShouldBe(200);
        source.Document = new SettingsDocument(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":429}"""), null, "/p#1");
        clock.Advance(TimeSpan.FromSeconds(1));

        (await Call()).StatusCode.ShouldBe(429);
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

    private const string Armed503 = """{"type":"statusCode","rate":1,"statusCode":503}""";

    private static (ChaosWrapper Wrapper, FlakySource Source, ManualTimeProvider Clock, StringWriter Log) FlakyWrapper(string settings, Action<ChaosOptions>? configure = null)
    {
        var clock = new ManualTimeProvider();
        var source = new FlakySource(settings, clock);
        var log = new StringWriter();
        var options = new ChaosOptions { TimeProvider = clock, LogWriter = log, Randomizer = Sequence.Always(0.5), RefreshRandomizer = Sequence.Always(0) };
        configure?.Invoke(options);
        return (new ChaosWrapper(source, options), source, clock, log);
    }

    private static async Task<int> Status(ChaosWrapper wrapper, ManualTimeProvider clock) =>
        (await wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }))).StatusCode;

    private static int FailClosedLines(StringWriter log) => log.ToString().Split('\n').Count(l => l.Contains("failing closed", StringComparison.Ordinal));

    [Fact]
    public async Task Armed_settings_that_cannot_be_confirmed_stop_applying_after_the_bound_with_one_line_and_return_after_a_good_read()
    {
        // Armed until 01:00 (an hour away); the store becomes unreachable right after the first good read at T.
        var (wrapper, source, clock, log) = FlakyWrapper(Documents.Armed(Armed503));
        (await Status(wrapper, clock)).ShouldBe(503);
        source.Failing = true;

        for (var second = 1; second <= 29; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            (await Status(wrapper, clock)).ShouldBe(503, $"at T+{second} s");
        }

        FailClosedLines(log).ShouldBe(0);
        clock.Advance(TimeSpan.FromSeconds(2)); // T+31 s
        for (var second = 31; second <= 120; second++)
        {
            (await Status(wrapper, clock)).ShouldBe(200, $"at T+{second} s");
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        FailClosedLines(log).ShouldBe(1);

        // The store answers again: armed settings apply again after the next (backed-off, at most 30 s) read.
        source.Failing = false;
        var recovered = false;
        for (var second = 0; second <= 30 && !recovered; second++)
        {
            recovered = await Status(wrapper, clock) == 503;
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        recovered.ShouldBeTrue();
    }

    [Fact]
    public async Task The_bound_is_configurable_and_expires_at_still_ends_armed_settings_sooner()
    {
        var (wrapper, source, clock, _) = FlakyWrapper(Documents.Armed(Armed503), o => o.MaxUnconfirmedArmed = TimeSpan.FromSeconds(10));
        (await Status(wrapper, clock)).ShouldBe(503);
        source.Failing = true;
        clock.Advance(TimeSpan.FromSeconds(9.9));
        (await Status(wrapper, clock)).ShouldBe(503);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        (await Status(wrapper, clock)).ShouldBe(200);
    }

    [Fact]
    public async Task Disarmed_last_known_good_stays_while_reads_fail_and_nothing_is_injected()
    {
        var (wrapper, source, clock, log) = FlakyWrapper(Documents.Disarmed);
        (await Status(wrapper, clock)).ShouldBe(200);
        source.Failing = true;
        for (var minute = 0; minute < 30; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            (await Status(wrapper, clock)).ShouldBe(200);
        }

        FailClosedLines(log).ShouldBe(0);
    }

    [Fact]
    public async Task Throttled_reads_back_off_exponentially_and_retries_stay_within_the_bound()
    {
        var (wrapper, source, clock, _) = FlakyWrapper(Documents.Disarmed, o => o.Randomizer = Sequence.Always(0.999));
        (await Status(wrapper, clock)).ShouldBe(200);
        source.Failure = () => new ServerlessChaos.Wrapper.Sources.Ssm.SsmReadException("Rate exceeded", "ThrottlingException", 400);
        source.Failing = true;

        // Invoked every 100 ms for 10 minutes: a read happens whenever one is due.
        for (var tick = 0; tick < 6000; tick++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            await Status(wrapper, clock);
        }

        var failed = source.CallTimes.Skip(1).ToList();
        var intervals = failed.Zip(failed.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        intervals.Count.ShouldBeGreaterThan(20);
        for (var i = 1; i < 5; i++)
        {
            intervals[i].ShouldBeGreaterThan(intervals[i - 1] * 1.9, $"interval {i}");
        }

        intervals.ShouldAllBe(s => s <= 30.1);
        intervals.Max().ShouldBeGreaterThan(25);
    }

    [Theory]
    [InlineData(0.0, 5.0)]
    [InlineData(0.5, 4.5)]
    [InlineData(1.0, 4.0)]
    public async Task The_refresh_instant_is_spread_by_the_injected_randomizer_never_past_the_ttl(double random, double refreshAfter)
    {
        var harness = new Harness(Documents.Armed(Armed503), configure: o => o.RefreshRandomizer = Sequence.Always(random));
        (await Invoke(harness)).StatusCode.ShouldBe(503);
        harness.Source.Settings = Documents.Disarmed;

        harness.Clock.Advance(TimeSpan.FromSeconds(refreshAfter - 0.05));
        (await Invoke(harness)).StatusCode.ShouldBe(503);
        harness.Clock.Advance(TimeSpan.FromSeconds(0.05));
        (await Invoke(harness)).StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task A_fleet_started_together_spreads_its_reads_over_the_last_fifth_of_the_ttl()
    {
        var random = new Random(7);
        var clock = new ManualTimeProvider();
        var sources = Enumerable.Range(0, 200).Select(_ => new FlakySource(Documents.Armed(Armed503), clock)).ToList();
        var wrappers = sources.Select(s => new ChaosWrapper(s, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null, Randomizer = Sequence.Always(0.5), RefreshRandomizer = random.NextDouble })).ToList();
        foreach (var wrapper in wrappers)
        {
            await Status(wrapper, clock);
        }

        var start = clock.GetUtcNow();
        for (var tick = 1; tick <= 50; tick++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(100));
            foreach (var wrapper in wrappers)
            {
                await Status(wrapper, clock);
            }
        }

        var secondReads = sources.Select(s => (s.CallTimes[1] - start).TotalSeconds).ToList();
        secondReads.ShouldAllBe(s => s >= 3.99 && s <= 5.0);
        secondReads.GroupBy(s => Math.Round(s, 1)).Max(g => g.Count()).ShouldBeLessThan(40); // no lockstep burst
        secondReads.Distinct().Count().ShouldBeGreaterThan(8);
    }

    [Fact]
    public void A_bound_that_is_not_positive_is_refused_naming_the_option()
    {
        var error = Should.Throw<ArgumentOutOfRangeException>(() => new ChaosWrapper(new FlakySource(Documents.Disarmed, new ManualTimeProvider()), new ChaosOptions { MaxUnconfirmedArmed = TimeSpan.Zero, LogWriter = TextWriter.Null }));
        error.Message.ShouldContain("ChaosOptions.MaxUnconfirmedArmed");
    }

    [Fact]
    public async Task A_read_that_does_not_answer_within_the_fetch_timeout_is_cancelled_and_reported_and_the_function_runs_without_chaos()
    {
        var source = new SilentSource();
        var clock = new ManualTimeProvider();
        var log = new AwaitableLog("Could not read chaos settings");
        var wrapper = new ChaosWrapper(source, new ChaosOptions { TimeProvider = clock, LogWriter = log, FetchBudget = TimeSpan.FromMilliseconds(100), FetchTimeout = TimeSpan.FromSeconds(2) });

        var invocation = wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));
        clock.Advance(TimeSpan.FromMilliseconds(100));
        (await invocation).StatusCode.ShouldBe(200, "past the fetch budget the invocation goes on without settings");
        source.Cancelled.IsCompleted.ShouldBeFalse("the read itself still has until the fetch timeout");

        clock.Advance(TimeSpan.FromMilliseconds(1900));

        await source.Cancelled.WaitAsync(TimeSpan.FromSeconds(30));
        await log.Written.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_source_that_answers_at_once_is_read_without_a_timer_and_one_that_waits_gets_its_timeout()
    {
        // The process's first timer starts the runtime's timer thread: a cold start with the environment, a file or memory as
        // the source does not pay for a timeout it cannot need.
        var clock = new CountingTimeProvider();
        var immediate = new ChaosWrapper(new InMemorySettingsSource(Documents.Disarmed), new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null });
        (await immediate.InvokeAsync(Get, new TestLambdaContext(clock.Clock), (_, _) => Task.FromResult(1))).ShouldBe(1);
        clock.Created.ShouldBe(0);

        var gated = new GatedSource();
        var waiting = new ChaosWrapper(gated, new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null });
        var invocation = waiting.InvokeAsync(Get, new TestLambdaContext(clock.Clock), (_, _) => Task.FromResult(2));
        gated.Release(Documents.Disarmed);
        (await invocation).ShouldBe(2);
        clock.Created.ShouldBeGreaterThanOrEqualTo(1, "the pending read is timed out");
    }

    /// <summary>A log that completes <see cref="Written"/> once a line containing the text has been written.</summary>
    private sealed class AwaitableLog(string text) : StringWriter
    {
        private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Written => _written.Task;

        public override void Write(char value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            base.Write(buffer, index, count);
            Check();
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            base.Write(buffer);
            Check();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Check();
        }

        public override void WriteLine(ReadOnlySpan<char> buffer)
        {
            base.WriteLine(buffer);
            Check();
        }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            Check();
        }

        private void Check()
        {
            if (ToString().Contains(text, StringComparison.Ordinal))
            {
                _written.TrySetResult();
            }
        }
    }

    private sealed class SilentSource : IChaosSettingsSource
    {
        private readonly TaskCompletionSource _cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Cancelled => _cancelled.Task;

        public string Description => "silent";

        public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _cancelled.TrySetResult();
                throw;
            }

            throw new InvalidOperationException("unreachable: the delay never ends unless cancelled");
        }
    }

    private sealed class CountingTimeProvider : TimeProvider
    {
        private int _created;

        public ManualTimeProvider Clock { get; } = new();

        public int Created => _created;

        public override DateTimeOffset GetUtcNow() => Clock.GetUtcNow();

        public override long TimestampFrequency => Clock.TimestampFrequency;

        public override long GetTimestamp() => Clock.GetTimestamp();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _created);
            return Clock.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class VersionedSource : IChaosSettingsSource
    {
        public SettingsDocument Document { get; set; } = new(null, null);

        public string Description => "versioned test source";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken) => ValueTask.FromResult(Document);
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

    private sealed class FlakySource(string settings, TimeProvider clock) : IChaosSettingsSource
    {
        public bool Failing { get; set; }

        /// <summary>What a failing read throws (default: the endpoint is unreachable).</summary>
        public Func<Exception> Failure { get; set; } = () => new HttpRequestException("unreachable");

        public List<DateTimeOffset> CallTimes { get; } = [];

        public string Description => "flaky";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
        {
            CallTimes.Add(clock.GetUtcNow());
            return Failing ? throw Failure() : new ValueTask<SettingsDocument>(new SettingsDocument(settings, null));
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
