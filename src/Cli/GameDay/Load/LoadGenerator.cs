using ServerlessChaos.Cli.GameDay.Metrics;

namespace ServerlessChaos.Cli.GameDay.Load;

/// <summary>What one request of the load got back.</summary>
/// <param name="StatusCode">The HTTP status, or 0 when no answer arrived.</param>
/// <param name="InjectedFault">The wrapper's injected-fault header, if any.</param>
/// <param name="WouldInject">The faults a wrapper dry run would have injected (its <c>X-Chaos-Dry-Run</c> header or log line), if any.</param>
internal readonly record struct LoadReply(int StatusCode, string? InjectedFault, string? WouldInject = null);

/// <summary>
/// Sends requests at a steady rate (open loop: the schedule does not wait for answers) for at most a given
/// time and count, recording each answer in the request log. The clock is injected.
/// </summary>
internal sealed class LoadGenerator
{
    private readonly Func<CancellationToken, Task<LoadReply>> send;
    private readonly RequestLog log;
    private readonly TimeProvider clock;
    private readonly double ratePerSecond;
    private readonly TimeSpan maxDuration;
    private readonly SemaphoreSlim inFlight;
    private int sent;

    /// <summary>Creates a generator.</summary>
    /// <param name="send">Sends one request; must not throw for a failed request (return status 0 instead).</param>
    /// <param name="log">Where every answer goes.</param>
    /// <param name="clock">The clock that paces the requests and times them.</param>
    /// <param name="ratePerSecond">Requests per second, between 0.1 and 1000.</param>
    /// <param name="maxDuration">The generator stops by itself after this long.</param>
    /// <param name="maxInFlight">At most this many requests wait for an answer at once; the schedule slips beyond it.</param>
    public LoadGenerator(Func<CancellationToken, Task<LoadReply>> send, RequestLog log, TimeProvider clock, double ratePerSecond, TimeSpan maxDuration, int maxInFlight = 128)
    {
        if (ratePerSecond is < 0.1 or > 1000 || double.IsNaN(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, $"the request rate must be between 0.1 and 1000 per second (was {ratePerSecond})");
        }

        if (maxDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDuration), maxDuration, "the load duration must be positive");
        }

        this.send = send;
        this.log = log;
        this.clock = clock;
        this.ratePerSecond = ratePerSecond;
        this.maxDuration = maxDuration;
        inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    /// <summary>How many requests have been sent.</summary>
    public int Sent => Volatile.Read(ref sent);

    /// <summary>The most requests this generator will ever send: the rate times the duration.</summary>
    public int MaxRequests => (int)Math.Ceiling(ratePerSecond * maxDuration.TotalSeconds);

    /// <summary>Sends until the duration or the count is reached or <paramref name="cancellationToken"/> fires, then waits for the answers still out.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = clock.GetUtcNow();
        var interval = TimeSpan.FromSeconds(1 / ratePerSecond);
        List<Task> outstanding = [];
        for (var i = 0; i < MaxRequests && !cancellationToken.IsCancellationRequested; i++)
        {
            var due = start + (interval * i);
            var wait = due - clock.GetUtcNow();
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, clock, cancellationToken).ConfigureAwait(false);
                }

                await inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            Interlocked.Increment(ref sent);
            outstanding.Add(SendOneAsync(cancellationToken));
            outstanding.RemoveAll(t => t.IsCompleted);
        }

        await Task.WhenAll(outstanding).ConfigureAwait(false);
    }

    private async Task SendOneAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        LoadReply? reply;
        try
        {
            reply = await send(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reply = null; // stopped by the game day, not failed by the service: not a sample
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            reply = new LoadReply(0, null);
        }
        finally
        {
            inFlight.Release();
        }

        if (reply is { } answer)
        {
            log.Add(new RequestSample(clock.GetUtcNow(), clock.GetElapsedTime(started).TotalMilliseconds, answer.StatusCode, answer.InjectedFault, answer.WouldInject));
        }
    }
}
