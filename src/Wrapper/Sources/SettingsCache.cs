using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Telemetry;

namespace ServerlessChaos.Wrapper.Sources;

/// <summary>What the wrapper knows about its settings at one moment. Immutable; swapped whole.</summary>
internal sealed class CacheSnapshot
{
    public CacheSnapshot(ChaosSettings settings, bool halted, long refreshAt, long armedUntil)
    {
        Settings = settings;
        Halted = halted;
        RefreshAt = refreshAt;
        ArmedUntil = armedUntil;
    }

    /// <summary>Never refreshed, never armed: the wrapper of a function that did not opt in.</summary>
    public static CacheSnapshot NotOptedIn { get; } = new(ChaosSettings.Disarmed, false, long.MaxValue, 0);

    public ChaosSettings Settings { get; }

    public bool Halted { get; }

    /// <summary>Timestamp (<see cref="TimeProvider.GetTimestamp"/>) after which the settings should be read again.</summary>
    public long RefreshAt { get; }

    /// <summary>Timestamp until which faults may be injected (0: disarmed). Timestamps are cheaper to read than wall time.</summary>
    public long ArmedUntil { get; }
}

/// <summary>
/// The settings cache: refreshed lazily on the invocation path (never by a timer, which would not fire in a frozen
/// Lambda), at most one read in flight, each invocation waiting at most the fetch budget; short lifetime while armed,
/// long while idle, each lifetime shortened by a random part of <see cref="ChaosOptions.RefreshSpread"/> so a fleet does
/// not read in lockstep. A failed read is retried by its kind (throttled: exponential backoff, jittered, capped at the
/// fail-closed bound; other transient failures: the next refresh; denied: disarmed at once); the last good settings stay
/// if disarmed, and if armed only until <see cref="ChaosOptions.MaxUnconfirmedArmed"/> after the last
/// good read (fail closed: past it nothing is injected until a read succeeds again, with one log line saying so).
/// </summary>
internal sealed class SettingsCache
{
    private readonly IChaosSettingsSource _source;
    private readonly ChaosOptions _options;
    private readonly ChaosTelemetry _telemetry;
    private readonly object _gate = new();
    private volatile CacheSnapshot? _current;
    private Task? _inflight;
    private int _throttles;
    private string? _lastDenied;
    private string? _lastReportedInvalid;
    private (string? Version, string Text, ChaosSettings Settings)? _parsed;

    private readonly ChaosClock _clock;
    private readonly TimeSpan _bound;
    private readonly TimeSpan _maxBackoff;
    private readonly double _spread;
    private readonly Func<double> _refreshRandom;

    /// <summary>Timestamp until which the last good read confirms armed settings (0: the last good read was disarmed).</summary>
    private long _confirmedUntil;
    private bool _failedClosed;

    public SettingsCache(IChaosSettingsSource source, ChaosOptions options, ChaosTelemetry telemetry, ChaosClock clock)
    {
        if (options.MaxUnconfirmedArmed <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxUnconfirmedArmed, "ChaosOptions.MaxUnconfirmedArmed must be positive (the fail-closed bound; default 30 s).");
        }

        if (!(options.RefreshSpread >= 0 && options.RefreshSpread <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.RefreshSpread, "ChaosOptions.RefreshSpread must be between 0 and 1 (a fraction of the TTL; default 0.2).");
        }

        _bound = options.MaxUnconfirmedArmed;
        _maxBackoff = options.MaxBackoff < _bound ? options.MaxBackoff : _bound;
        _spread = options.RefreshSpread;
        _refreshRandom = options.RefreshRandomizer ?? throw new ArgumentNullException(nameof(options), "ChaosOptions.RefreshRandomizer must not be null.");
        _clock = clock;
        _source = source;
        _options = options;
        _telemetry = telemetry;
    }

    public CacheSnapshot? Current => _current;

    public string SourceDescription => _source.Description;

    /// <summary>Reads the settings if they are due; returns what is known once the read finished or the budget ran out.</summary>
    public ValueTask<CacheSnapshot?> RefreshAsync()
    {
        Task task;
        TaskCompletionSource? read = null;
        lock (_gate)
        {
            var current = _current;
            if (current is not null && _clock.Now() < current.RefreshAt)
            {
                return new ValueTask<CacheSnapshot?>(current);
            }

            if (_inflight is null || _inflight.IsCompleted)
            {
                read = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _inflight = read.Task;
            }

            task = _inflight!;
        }

        var startedHere = read is not null;
        if (read is not null)
        {
            // Started outside the lock: a source that runs synchronously (or slowly) never blocks other invocations on it.
            _ = FetchThenSignalAsync(read);
        }

        if (task.IsCompleted || (!startedHere && _current is not null))
        {
            // Someone else's read is running and we have settings: never make a second invocation wait for it.
            return new ValueTask<CacheSnapshot?>(_current);
        }

        return WaitWithinBudgetAsync(task);
    }

    private async ValueTask<CacheSnapshot?> WaitWithinBudgetAsync(Task task)
    {
        try
        {
            await task.WaitAsync(_options.FetchBudget, _options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Over budget: go on with what we have; the read finishes (or times out) in the background.
        }

        return _current;
    }

    /// <summary>Whether the calling thread holds the cache's lock (for tests of "never read inside the lock").</summary>
    internal bool LockHeldByCurrentThread => Monitor.IsEntered(_gate);

    private async Task FetchThenSignalAsync(TaskCompletionSource read)
    {
        await FetchAndStoreAsync().ConfigureAwait(false);
        read.SetResult();
    }

    private async Task FetchAndStoreAsync()
    {
        SettingsDocument document;
        try
        {
            using var timeout = new CancellationTokenSource();
            var fetch = _source.FetchAsync(timeout.Token);
            if (fetch.IsCompleted)
            {
                // A source that answers at once (the environment, a file, memory) is never timed out, so no timer is made:
                // the process's first timer starts the runtime's timer thread, ~5 ms of a cold start (docs/benchmarks.md).
                document = fetch.Result;
            }
            else
            {
                using var timer = _options.TimeProvider.CreateTimer(
                    static state => CancelQuietly((CancellationTokenSource)state!), timeout, _options.FetchTimeout, Timeout.InfiniteTimeSpan);
                document = await fetch.ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            StoreFailure(ex);
            return;
        }

        try
        {
            StoreSuccess(document);
        }
        catch (Exception ex)
        {
            StoreFailure(ex);
        }
    }

    /// <summary>The fetch timeout, on the timer's thread: whatever a source's cancellation callback throws stays there.</summary>
    private static void CancelQuietly(CancellationTokenSource timeout)
    {
        try
        {
            timeout.Cancel();
        }
        catch (Exception ex) when (ex is AggregateException or ObjectDisposedException)
        {
            // The read is abandoned either way; the failure it ends with is what gets reported.
        }
    }

    private void StoreSuccess(SettingsDocument document)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var stamp = _clock.Now();
        var halted = HaltValue.IsHalted(document.Halt);
        var settings = ChaosSettings.Disarmed;
        var version = document.Version ?? document.Settings;
        if (document.Settings is not null && _parsed is { } parsedBefore && string.Equals(parsedBefore.Version, version, StringComparison.Ordinal)
            && string.Equals(parsedBefore.Text, document.Settings, StringComparison.Ordinal))
        {
            // The same version and text as last read: the same instance, so "once per settings version" log lines stay
            // once. The text too: a parameter deleted and put again starts over at SSM version 1 with other settings.
            settings = parsedBefore.Settings;
        }
        else if (document.Settings is not null)
        {
            var parsed = ChaosSettings.Parse(document.Settings);
            if (parsed.Settings is not null)
            {
                settings = parsed.Settings;
                _parsed = (version, document.Settings, settings);
                if (parsed.Warnings.Count > 0)
                {
                    ReportInvalidOnce(document, parsed.Warnings, "Part of the chaos settings is invalid and skipped; the rest is in force");
                }
            }
            else
            {
                ReportInvalidOnce(document, parsed.Errors, "Chaos settings are invalid; no faults are injected until they are fixed");
            }
        }

        var armed = !halted && settings.IsArmedAt(now);
        var ttl = Spread(armed ? Min(_options.ArmedTtl, _bound) : _options.IdleTtl);
        _throttles = 0;
        _lastDenied = null;
        _failedClosed = false;
        _confirmedUntil = armed ? _clock.After(stamp, _bound) : 0;
        var armedFor = settings.ExpiresAt is { } expiresAt && expiresAt - now < _bound ? expiresAt - now : _bound;
        _current = new CacheSnapshot(settings, halted, _clock.After(stamp, ttl), armed ? _clock.After(stamp, armedFor) : 0);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// A failed read, retried by kind: throttled reads back off (doubling from <see cref="ChaosOptions.InitialBackoff"/>,
    /// jittered over the second half, capped at <see cref="ChaosOptions.MaxBackoff"/> and the fail-closed bound), so a
    /// fleet over the store's rate asks less; other transient failures (network, timeout, 5xx) are retried at the next
    /// refresh, as if the read had answered, which adds no load; a denied read (no permission, no such parameter) means
    /// disarmed at once, logged once until a read succeeds, and is retried after the idle TTL.
    /// </summary>
    private void StoreFailure(Exception exception)
    {
        var stamp = _clock.Now();
        var kind = ReadFailure.Classify(exception);
        var previous = _current;
        if (kind == ReadFailureKind.Denied)
        {
            _confirmedUntil = 0;
            _current = new CacheSnapshot(ChaosSettings.Disarmed, false, _clock.After(stamp, Spread(_options.IdleTtl)), 0);
            var code = ReadFailure.Describe(exception);
            if (!string.Equals(code, _lastDenied, StringComparison.Ordinal))
            {
                _lastDenied = code;
                _telemetry.Problem(
                    $"The chaos settings read was denied ({code}); no faults are injected until a read succeeds (retried every idle TTL): check the function's ssm:GetParameters permission on its settings and halt parameters",
                    _source.Description, null, exception);
            }

            return;
        }

        TimeSpan wait;
        if (kind == ReadFailureKind.Throttled)
        {
            var throttles = ++_throttles;
            wait = _options.InitialBackoff * Math.Pow(2, Math.Min(throttles - 1, 20));
            if (wait > _maxBackoff)
            {
                wait = _maxBackoff;
            }

            // Jitter spreads the retries of many concurrent functions over the second half of the interval.
            wait *= 0.5 + (0.5 * _options.Randomizer());
        }
        else
        {
            // While the last good read was armed, the armed cadence (never past the bound); otherwise the idle one.
            wait = Spread(_confirmedUntil != 0 ? Min(_options.ArmedTtl, _bound) : _options.IdleTtl);
        }

        var refreshAt = _clock.After(stamp, wait);
        if (previous is not null && previous.ArmedUntil > stamp && previous.ArmedUntil < refreshAt)
        {
            // Retry no later than the moment armed settings stop applying, so the fall-back is noticed and logged then.
            refreshAt = previous.ArmedUntil;
        }

        _current = previous is null
            ? new CacheSnapshot(ChaosSettings.Disarmed, false, refreshAt, 0)
            : new CacheSnapshot(previous.Settings, previous.Halted, refreshAt, previous.ArmedUntil);

        if (_confirmedUntil != 0 && stamp >= _confirmedUntil)
        {
            if (!_failedClosed)
            {
                _failedClosed = true;
                _telemetry.Problem(
                    $"Armed chaos settings could not be confirmed for {_bound.TotalSeconds:0.###} s (ChaosOptions.MaxUnconfirmedArmed); failing closed: no faults are injected until a settings read succeeds",
                    _source.Description, null, exception);
                return;
            }
        }

        var retry = kind == ReadFailureKind.Throttled
            ? $"throttled ({ReadFailure.Describe(exception)}): backing off {wait.TotalSeconds:0.###} s"
            : $"retrying at the next refresh in {wait.TotalSeconds:0.###} s";
        _telemetry.Problem(
            previous?.ArmedUntil > stamp
                ? $"Could not read chaos settings, {retry}; keeping the last good armed settings for at most {_bound.TotalSeconds:0.###} s after the last good read"
                : $"Could not read chaos settings, {retry}; no faults are injected",
            _source.Description, null, exception);
    }

    /// <summary>A lifetime shortened by a random part of the refresh spread, so a fleet does not read in lockstep.</summary>
    private TimeSpan Spread(TimeSpan ttl) => ttl * (1 - (_spread * Math.Clamp(_refreshRandom(), 0, 1)));

    private void ReportInvalidOnce(SettingsDocument document, IReadOnlyList<SettingsError> errors, string message)
    {
        var version = document.Version ?? document.Settings;
        if (string.Equals(version, _lastReportedInvalid, StringComparison.Ordinal))
        {
            return;
        }

        _lastReportedInvalid = version;
        _telemetry.Problem(message, _source.Description, errors.Select(e => e.Message));
    }
}
