namespace ServerlessChaos.Aws;

/// <summary>
/// Which AWS errors are transient (throttling, 5xx, no reply: trying again can succeed) and which are
/// permanent (access denied, validation, not found: trying again gives the same answer). One rule for the
/// project's own clients and the AWS SDK's errors alike.
/// </summary>
public static class AwsErrorKinds
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "ThrottlingException", "TooManyRequestsException", "Throttling", "RequestLimitExceeded",
        "ThrottledException", "RequestThrottled", "RequestThrottledException", "SlowDown",
        "ProvisionedThroughputExceededException", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    /// <summary>Whether <paramref name="errorCode"/> is one of AWS's throttling error names.</summary>
    public static bool IsThrottling(string? errorCode) => errorCode is not null && ThrottlingCodes.Contains(errorCode);

    /// <summary>
    /// Whether an error with this code and HTTP status may pass on a retry: throttling, HTTP 429 or 5xx,
    /// a timeout or a broken connection (<paramref name="httpStatus"/> null or 0: no reply arrived).
    /// </summary>
    public static bool IsTransient(string? errorCode, int? httpStatus) =>
        httpStatus is null or 0 or 429 or >= 500
        || IsThrottling(errorCode)
        || errorCode is AwsTimeoutException.Code or AwsNetworkException.Code;
}
