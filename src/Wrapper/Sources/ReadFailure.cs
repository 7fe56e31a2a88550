using System.Net;
using ServerlessChaos.Wrapper.Sources.Ssm;

namespace ServerlessChaos.Wrapper.Sources;

/// <summary>What kind of failure a settings read ended in; each kind is retried differently (see <see cref="SettingsCache"/>).</summary>
internal enum ReadFailureKind
{
    /// <summary>Network, timeout, 5xx, a reply that cannot be read: retried at the next refresh, as if the read had answered.</summary>
    Transient,

    /// <summary>The store is over its request rate (SSM <c>ThrottlingException</c>, HTTP 429): backed off, jittered and capped.</summary>
    Throttled,

    /// <summary>The function may not read the settings (<c>AccessDeniedException</c>, HTTP 403, a missing parameter): disarmed.</summary>
    Denied,
}

/// <summary>Sorts a failed read by the store's error code or HTTP status.</summary>
internal static class ReadFailure
{
    public static ReadFailureKind Classify(Exception exception) => exception switch
    {
        SsmReadException ssm => ssm.ErrorCode switch
        {
            "ThrottlingException" or "TooManyRequestsException" or "RequestLimitExceeded" => ReadFailureKind.Throttled,
            "AccessDeniedException" or "UnrecognizedClientException" or "ParameterNotFound" => ReadFailureKind.Denied,
            _ => FromStatus(ssm.HttpStatus),
        },
        // The extensions pass the store's error through in their reply, which the source quotes in the message.
        HttpRequestException http when http.Message.Contains("ThrottlingException", StringComparison.Ordinal) => ReadFailureKind.Throttled,
        HttpRequestException http when http.Message.Contains("AccessDeniedException", StringComparison.Ordinal) => ReadFailureKind.Denied,
        HttpRequestException { StatusCode: { } status } => FromStatus((int)status),
        _ => ReadFailureKind.Transient,
    };

    /// <summary>The error code a log line names: SSM's code, else the HTTP status, else the exception type.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        SsmReadException { ErrorCode: { } code } => code,
        SsmReadException ssm => $"HTTP {ssm.HttpStatus}",
        HttpRequestException { StatusCode: { } status } => $"HTTP {(int)status}",
        _ => exception.GetType().Name,
    };

    private static ReadFailureKind FromStatus(int status) => status switch
    {
        (int)HttpStatusCode.TooManyRequests => ReadFailureKind.Throttled,
        (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized => ReadFailureKind.Denied,
        _ => ReadFailureKind.Transient,
    };
}
