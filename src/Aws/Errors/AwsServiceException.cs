namespace ServerlessChaos.Aws;

/// <summary>
/// An AWS call failed. Names the service, the operation, the AWS error code, the message, the
/// request id and the HTTP status, so the failure can be acted on (or quoted to AWS support).
/// Transport problems (timeouts, network errors, unreadable replies) are subclasses.
/// </summary>
public class AwsServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="service">The service, e.g. <c>SSM</c>.</param>
    /// <param name="operation">The operation, e.g. <c>GetParameter</c>.</param>
    /// <param name="errorCode">The AWS error code, e.g. <c>ParameterNotFound</c>.</param>
    /// <param name="message">What went wrong, as AWS (or the client) said it.</param>
    /// <param name="requestId">The AWS request id, when the reply carried one.</param>
    /// <param name="httpStatus">The HTTP status of the reply, or null when there was none.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public AwsServiceException(
        string service,
        string operation,
        string errorCode,
        string message,
        string? requestId,
        int? httpStatus,
        Exception? innerException = null)
        : base(Describe(service, operation, errorCode, message, requestId, httpStatus), innerException)
    {
        Service = service;
        Operation = operation;
        ErrorCode = errorCode;
        AwsMessage = message;
        RequestId = requestId;
        HttpStatus = httpStatus;
    }

    /// <summary>The service that was called, e.g. <c>SSM</c>.</summary>
    public string Service { get; }

    /// <summary>The operation that failed, e.g. <c>GetParameter</c>.</summary>
    public string Operation { get; }

    /// <summary>The AWS error code without any namespace prefix, e.g. <c>ParameterNotFound</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The message as AWS sent it (the <see cref="Exception.Message"/> adds the context).</summary>
    public string AwsMessage { get; }

    /// <summary>The AWS request id (<c>x-amzn-RequestId</c>), when the reply carried one.</summary>
    public string? RequestId { get; }

    /// <summary>The HTTP status of the reply, or null when no reply arrived.</summary>
    public int? HttpStatus { get; }

    private static string Describe(string service, string operation, string errorCode, string message, string? requestId, int? httpStatus)
    {
        var status = httpStatus is null ? "no HTTP reply" : $"HTTP {httpStatus}";
        var id = requestId is null ? "" : $", request id {requestId}";
        return $"{service} {operation} failed: {errorCode}: {message} ({status}{id})";
    }
}

/// <summary>No reply arrived within the configured timeout.</summary>
public sealed class AwsTimeoutException : AwsServiceException
{
    /// <summary>The error code this exception carries.</summary>
    public const string Code = "RequestTimeout";

    /// <summary>Creates the exception.</summary>
    public AwsTimeoutException(string service, string operation, TimeSpan timeout, int attempts, Exception? innerException = null)
        : base(service, operation, Code, $"no complete reply within {timeout.TotalMilliseconds:0} ms (after {attempts} attempt(s))", null, null, innerException)
    {
        Timeout = timeout;
    }

    /// <summary>The per-attempt timeout that elapsed.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>The connection failed or broke before a complete reply arrived.</summary>
public sealed class AwsNetworkException : AwsServiceException
{
    /// <summary>The error code this exception carries.</summary>
    public const string Code = "NetworkError";

    /// <summary>Creates the exception.</summary>
    public AwsNetworkException(string service, string operation, string message, Exception? innerException = null)
        : base(service, operation, Code, message, null, null, innerException)
    {
    }
}

/// <summary>
/// A reply arrived but could not be understood: an empty or malformed body, an HTML page, a
/// truncated document, or a field of the wrong type.
/// </summary>
public sealed class AwsMalformedResponseException : AwsServiceException
{
    /// <summary>The error code this exception carries.</summary>
    public const string Code = "MalformedResponse";

    /// <summary>Creates the exception.</summary>
    public AwsMalformedResponseException(string service, string operation, string message, string? requestId, int? httpStatus, Exception? innerException = null)
        : base(service, operation, Code, message, requestId, httpStatus, innerException)
    {
    }
}

/// <summary>No credentials could be found or obtained.</summary>
public sealed class AwsCredentialsException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AwsCredentialsException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
