using System.Net.Sockets;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>The small, documented set of exception types an exception fault can throw.</summary>
internal static class InjectedExceptions
{
    /// <summary>Key in <see cref="System.Exception.Data"/> that marks an exception as injected; its value is the fault type.</summary>
    public const string DataKey = "ServerlessChaos.InjectedFault";

    /// <summary>The accepted <c>exceptionType</c> values (also accepted with a <c>System.</c> prefix).</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } =
    [
        "Exception", "InvalidOperationException", "TimeoutException", "HttpRequestException",
        "IOException", "ArgumentException", "OperationCanceledException", "SocketException",
    ];

    /// <summary>Returns the canonical short name for <paramref name="name"/>, or <see langword="null"/> when unsupported.</summary>
    internal static string? Normalize(string name)
    {
        var shortName = name.StartsWith("System.", StringComparison.Ordinal) ? name[(name.LastIndexOf('.') + 1)..] : name;
        foreach (var supported in SupportedTypes)
        {
            if (string.Equals(supported, shortName, StringComparison.Ordinal))
            {
                return supported;
            }
        }

        return null;
    }

    /// <summary>Creates the exception, marked as injected.</summary>
    internal static System.Exception Create(string type, string message)
    {
        System.Exception exception = type switch
        {
            "InvalidOperationException" => new InvalidOperationException(message),
            "TimeoutException" => new TimeoutException(message),
            "HttpRequestException" => new HttpRequestException(message),
            "IOException" => new IOException(message),
            "ArgumentException" => new ArgumentException(message),
            "OperationCanceledException" => new OperationCanceledException(message),
            "SocketException" => new SocketException((int)SocketError.ConnectionRefused, message),
            _ => new System.Exception(message),
        };
        exception.Data[DataKey] = Settings.FaultTypes.Exception;
        return exception;
    }
}
