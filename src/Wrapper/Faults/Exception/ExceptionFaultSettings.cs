using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>Throw an exception of a chosen type instead of running the handler.</summary>
internal sealed class ExceptionFaultSettings : FaultSettings
{
    /// <summary>Default exception type: <c>Exception</c>.</summary>
    public const string DefaultExceptionType = "Exception";

    /// <summary>Default message.</summary>
    public const string DefaultMessage = "Injected by ServerlessChaos";

    internal ExceptionFaultSettings(double rate, IReadOnlyList<EventMatch> match, string exceptionType, string message)
        : base(rate, match)
    {
        ExceptionType = exceptionType;
        Message = message;
    }

    /// <inheritdoc />
    public override string Type => FaultTypes.Exception;

    /// <summary>The exception type's short name (one of <see cref="InjectedExceptions.SupportedTypes"/>).</summary>
    public string ExceptionType { get; }

    /// <summary>The exception message.</summary>
    public string Message { get; }
}
