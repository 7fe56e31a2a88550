using System.Diagnostics.CodeAnalysis;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Lambda;
using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Telemetry;

namespace ServerlessChaos.Wrapper;

/// <summary>
/// The chaos wrapper: decorates Lambda handlers (typed, API Gateway / ALB / SQS shaped, or Stream-in/Stream-out) so a
/// configured share of invocations gets faults, as the settings in its source say. It never breaks the function: any
/// problem of its own (bad settings, an unreachable store, a timeout) means no chaos and one log line, and the handler
/// always runs at most once.
/// </summary>
public sealed partial class ChaosWrapper
{
    /// <summary>What the wrapper reads from a Lambda context (<c>RemainingTime</c>, <c>AwsRequestId</c>, <c>FunctionName</c>), for the trimmer.</summary>
    private const DynamicallyAccessedMemberTypes ContextMembers = DynamicallyAccessedMemberTypes.PublicProperties;

    private readonly ChaosOptions _options;
    private readonly SettingsCache? _cache;
    private readonly ChaosClock _clock;
    private readonly JsonShapes _shapes;
    private readonly OncePerSettings _cannotApply = new();
    private readonly FunctionClock _functionClock;

    /// <summary>
    /// Creates a wrapper reading settings from <paramref name="source"/>; null means "not opted in" (no chaos, ever).
    /// <paramref name="options"/> are copied here, once: changing that object later has no effect on this wrapper.
    /// </summary>
    public ChaosWrapper(IChaosSettingsSource? source, ChaosOptions? options = null)
        : this(source, options, ProcessVariable)
    {
    }

    /// <summary>The same, with the environment (for <c>AWS_LAMBDA_FUNCTION_NAME</c>) read through <paramref name="environment"/>.</summary>
    internal ChaosWrapper(IChaosSettingsSource? source, ChaosOptions? options, Func<string, string?> environment)
    {
        _options = options?.Copy() ?? new ChaosOptions();
        _options.FunctionName ??= environment(FunctionNameVariable) is { Length: > 0 } name ? name : null;
        _clock = new ChaosClock(_options.TimeProvider);
        _functionClock = new FunctionClock(_options.TimeProvider);
        Telemetry = new ChaosTelemetry(_options.LogWriter, _options.TimeProvider);
        _shapes = new JsonShapes(_options.JsonTypeInfoResolver);
        _cache = source is null ? null : new SettingsCache(source, _options, Telemetry, _clock);
    }

    /// <summary>
    /// A copy of the options this wrapper runs with (taken at construction, with the environment's function name filled
    /// in). Changing the copy has no effect: build a new wrapper to run with other options.
    /// </summary>
    public ChaosOptions Options => _options.Copy();

    /// <summary>The wrapper's own options, for the parts of the wrapper that run outside this class (never handed out).</summary>
    internal ChaosOptions OptionsInForce => _options;

    /// <summary>Whether this wrapper has a settings source (the function opted in).</summary>
    public bool IsOptedIn => _cache is not null;

    /// <summary>
    /// The clock for the function's own time checks (token expiry, certificate validity, record timestamps): the
    /// options' <see cref="ChaosOptions.TimeProvider"/> (the system clock by default), shifted only while a clockSkew
    /// fault hits the invocation reading it. Read it instead of <see cref="DateTimeOffset.UtcNow"/> where skew should reach.
    /// </summary>
    public TimeProvider Time => _functionClock;

    internal ChaosTelemetry Telemetry { get; }

    /// <summary>Decorates an async handler. The result type is read by shape (HTTP responses, SQS batch responses).</summary>
    public Func<TEvent, TContext, Task<TResult>> Decorate<
        TEvent,
        [DynamicallyAccessedMembers(ContextMembers)] TContext,
        TResult>(Func<TEvent, TContext, Task<TResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (input, context) => InvokeAsync(input, context, handler);
    }

    /// <summary>Decorates an async handler that returns no value.</summary>
    public Func<TEvent, TContext, Task> Decorate<
        TEvent,
        [DynamicallyAccessedMembers(ContextMembers)] TContext>(Func<TEvent, TContext, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (input, context) => InvokeAsync(input, context, handler);
    }

    /// <summary>Decorates a Stream-in/Stream-out handler; the event and result are read and edited as JSON when a fault needs it.</summary>
    public Func<Stream, TContext, Task<Stream>> DecorateStream<[DynamicallyAccessedMembers(ContextMembers)] TContext>(
        Func<Stream, TContext, Task<Stream>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return (input, context) => InvokeStreamAsync(input, context, handler);
    }

    /// <summary>Runs <paramref name="handler"/> once for this invocation, with faults as the settings say (inline use).</summary>
    public Task<TResult> InvokeAsync<
        TEvent,
        [DynamicallyAccessedMembers(ContextMembers)] TContext,
        TResult>(TEvent input, TContext context, Func<TEvent, TContext, Task<TResult>> handler)
    {
        var cache = _cache;
        if (cache is null)
        {
            return handler(input, context);
        }

        var snapshot = cache.Current;
        var now = _clock.Now();
        if (snapshot is not null && now < snapshot.RefreshAt)
        {
            return now >= snapshot.ArmedUntil
                ? handler(input, context)
                : RunArmed(snapshot, input, context, ReadableEvent(input, snapshot.Settings), handler, null);
        }

        // The result adapter (the result type's JSON metadata) is made only when a fault fires: not on a cold start that injects nothing.
        return RefreshThenRunAsync(input, context, handler, null);
    }

    /// <summary>Runs a handler that returns no value once for this invocation, with faults as the settings say.</summary>
    public Task InvokeAsync<
        TEvent,
        [DynamicallyAccessedMembers(ContextMembers)] TContext>(TEvent input, TContext context, Func<TEvent, TContext, Task> handler)
    {
        var snapshot = _cache is null ? CacheSnapshot.NotOptedIn : _cache.Current;
        var now = _clock.Now();
        if (snapshot is not null && now < snapshot.RefreshAt && now >= snapshot.ArmedUntil)
        {
            return handler(input, context);
        }

        return RefreshThenRunAsync(input, context, async (e, c) =>
        {
            await handler(e, c).ConfigureAwait(false);
            return default(NoResult);
        }, NoResultAdapter.Instance);
    }

    /// <summary>Runs a Stream-in/Stream-out handler once for this invocation, with faults as the settings say.</summary>
    public Task<Stream> InvokeStreamAsync<[DynamicallyAccessedMembers(ContextMembers)] TContext>(
        Stream input, TContext context, Func<Stream, TContext, Task<Stream>> handler)
    {
        var snapshot = _cache is null ? CacheSnapshot.NotOptedIn : _cache.Current;
        var now = _clock.Now();
        if (snapshot is not null && now < snapshot.RefreshAt && now >= snapshot.ArmedUntil)
        {
            return handler(input, context);
        }

        return RunStreamAsync(input, context, handler);
    }

    /// <summary>
    /// Creates the outbound-call fault handler bound to this wrapper: put it into an <see cref="HttpClient"/> pipeline
    /// (or the AWS SDK's <c>HttpClientFactory</c>) so dependency faults can target calls by host.
    /// </summary>
    /// <param name="innerHandler">The handler that sends the request; defaults to a new <see cref="SocketsHttpHandler"/>.</param>
    public DelegatingHandler CreateDependencyHandler(HttpMessageHandler? innerHandler = null) => new ChaosDependencyHandler(this, innerHandler);

    /// <summary>What the wrapper currently knows: the settings in force and whether it is halted (reads them if due).</summary>
    public async ValueTask<ChaosStatus> GetStatusAsync()
    {
        var snapshot = _cache is null ? CacheSnapshot.NotOptedIn : (_cache.Current is { } current && _clock.Now() < current.RefreshAt ? current : await _cache.RefreshAsync().ConfigureAwait(false));
        return new ChaosStatus(
            IsOptedIn,
            snapshot?.Settings ?? ChaosSettings.Disarmed,
            snapshot?.Halted ?? false,
            snapshot is not null && _clock.Now() < snapshot.ArmedUntil);
    }
}
