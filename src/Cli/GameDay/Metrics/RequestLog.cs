namespace ServerlessChaos.Cli.GameDay.Metrics;

/// <summary>One request the load generator sent and what came back.</summary>
/// <param name="CompletedAt">When the answer (or the failure) arrived.</param>
/// <param name="LatencyMs">How long the request took, in milliseconds.</param>
/// <param name="StatusCode">The HTTP status, or 0 when no answer arrived (connection error, client timeout).</param>
/// <param name="InjectedFault">The fault injected into this request: the wrapper's <c>X-Chaos-Injected</c> header, or the fault the wrapper logged for its request id.</param>
/// <param name="WouldInject">The faults a wrapper dry run would have injected into it (nothing was), or null.</param>
internal readonly record struct RequestSample(DateTimeOffset CompletedAt, double LatencyMs, int StatusCode, string? InjectedFault, string? WouldInject = null)
{
    /// <summary>Server errors and missing answers both count against the 5xx rate, as API Gateway would report them.</summary>
    public bool IsServerError => StatusCode is 0 or >= 500;

    /// <summary>A server error the wrapper did not inject: a cascade, or a real failure.</summary>
    public bool IsNotInjectedError => IsServerError && InjectedFault is null;
}

/// <summary>Summary statistics of the requests completed in one time window.</summary>
/// <param name="Count">How many requests completed.</param>
/// <param name="P50Ms">The median latency in milliseconds (0 when <paramref name="Count"/> is 0).</param>
/// <param name="P99Ms">The 99th percentile latency in milliseconds (0 when <paramref name="Count"/> is 0).</param>
/// <param name="ServerErrors">How many were 5xx or got no answer.</param>
/// <param name="Injected">How many had a fault injected (header or wrapper log).</param>
/// <param name="NotInjectedErrors">How many of the server errors had no fault injected: the cascade.</param>
/// <param name="WouldInject">How many a wrapper dry run would have injected a fault into (and did not).</param>
internal readonly record struct WindowStats(int Count, double P50Ms, double P99Ms, int ServerErrors, int Injected, int NotInjectedErrors = 0, int WouldInject = 0)
{
    /// <summary>The share of 5xx answers in percent (0 when nothing completed).</summary>
    public double ErrorRatePercent => Count == 0 ? 0 : 100.0 * ServerErrors / Count;

    /// <summary>Server errors that carried an injected fault.</summary>
    public int InjectedErrors => ServerErrors - NotInjectedErrors;

    /// <summary>The share of requests that failed without an injected fault, in percent (0 when nothing completed).</summary>
    public double NotInjectedErrorRatePercent => Count == 0 ? 0 : 100.0 * NotInjectedErrors / Count;
}

/// <summary>
/// Every request of a game day, in completion order; the alarms, the live view and the report all read it.
/// Thread-safe: the load generator appends from many tasks.
/// </summary>
internal sealed class RequestLog
{
    private readonly List<RequestSample> samples = [];
    private readonly Lock gate = new();

    /// <summary>How many requests have completed so far.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return samples.Count;
            }
        }
    }

    /// <summary>Records one completed request.</summary>
    public void Add(RequestSample sample)
    {
        lock (gate)
        {
            samples.Add(sample);
        }
    }

    /// <summary>A copy of every sample recorded so far.</summary>
    public IReadOnlyList<RequestSample> Snapshot()
    {
        lock (gate)
        {
            return [.. samples];
        }
    }

    /// <summary>Statistics of the requests completed in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public WindowStats Window(DateTimeOffset from, DateTimeOffset to)
    {
        List<double> latencies = [];
        var errors = 0;
        var injected = 0;
        var notInjected = 0;
        var wouldInject = 0;
        lock (gate)
        {
            foreach (var s in samples)
            {
                if (s.CompletedAt < from || s.CompletedAt >= to)
                {
                    continue;
                }

                latencies.Add(s.LatencyMs);
                errors += s.IsServerError ? 1 : 0;
                injected += s.InjectedFault is null ? 0 : 1;
                notInjected += s.IsNotInjectedError ? 1 : 0;
                wouldInject += s.WouldInject is null ? 0 : 1;
            }
        }

        return Summarize(latencies, errors, injected, notInjected, wouldInject);
    }

    /// <summary>Summarizes a set of latencies (the list is sorted in place).</summary>
    public static WindowStats Summarize(List<double> latencies, int serverErrors, int injected, int notInjectedErrors, int wouldInject = 0)
    {
        if (latencies.Count == 0)
        {
            return new WindowStats(0, 0, 0, serverErrors, injected, notInjectedErrors, wouldInject);
        }

        latencies.Sort();
        return new WindowStats(latencies.Count, Percentile(latencies, 50), Percentile(latencies, 99), serverErrors, injected, notInjectedErrors, wouldInject);
    }

    /// <summary>
    /// The nearest-rank percentile of sorted values: the smallest value with at least p% of the values at or
    /// below it (so p99 of 10 requests is the slowest one, as CloudWatch's p99 of a small sample is).
    /// </summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            throw new ArgumentException("no values", nameof(sorted));
        }

        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
