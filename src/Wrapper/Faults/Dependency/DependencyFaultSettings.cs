using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>What a dependency fault does to a matching outbound call.</summary>
internal enum DependencyFaultKind
{
    /// <summary>Delay the call, then send it.</summary>
    Latency,

    /// <summary>Answer without sending, with an HTTP status and an AWS-shaped error body.</summary>
    Status,

    /// <summary>Fail the call as if the connection were refused.</summary>
    Connection,
}

/// <summary>Faults on outbound HTTP calls (HttpClient, the AWS SDK) to hosts matching a pattern.</summary>
internal sealed class DependencyFaultSettings : FaultSettings
{
    internal DependencyFaultSettings(
        double rate, IReadOnlyList<EventMatch> match, IReadOnlyList<HostPattern> hosts, DependencyFaultKind kind,
        int minMs, int maxMs, int statusCode, string errorCode, string message)
        : base(rate, match)
    {
        Hosts = hosts;
        Kind = kind;
        MinMs = minMs;
        MaxMs = maxMs;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        Message = message;
    }

    /// <inheritdoc />
    public override string Type => FaultTypes.Dependency;

    /// <summary>Host patterns; a call is affected when its host matches any of them.</summary>
    public IReadOnlyList<HostPattern> Hosts { get; }

    /// <summary>What happens to an affected call (field <c>fault.kind</c>).</summary>
    public DependencyFaultKind Kind { get; }

    /// <summary>Shortest delay for <see cref="DependencyFaultKind.Latency"/> (field <c>fault.minMs</c> or <c>fault.ms</c>).</summary>
    public int MinMs { get; }

    /// <summary>Longest delay for <see cref="DependencyFaultKind.Latency"/> (field <c>fault.maxMs</c>).</summary>
    public int MaxMs { get; }

    /// <summary>Status code for <see cref="DependencyFaultKind.Status"/>; defaults to 503.</summary>
    public int StatusCode { get; }

    /// <summary>AWS error code in the body and <c>x-amzn-ErrorType</c>, e.g. <c>ThrottlingException</c>; defaults to <c>ServiceUnavailable</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>Error message in the body.</summary>
    public string Message { get; }

    /// <summary>Whether <paramref name="host"/> matches any of <see cref="Hosts"/>.</summary>
    public bool MatchesHost(string host)
    {
        foreach (var pattern in Hosts)
        {
            if (pattern.Matches(host))
            {
                return true;
            }
        }

        return false;
    }
}
