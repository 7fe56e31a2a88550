using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>A control function failed in a way the state machine routes on (the Lambda <c>errorType</c>).</summary>
public class ControlFunctionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ControlFunctionException(string errorType, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorType = errorType;
    }

    /// <summary>The error name Step Functions sees.</summary>
    public string ErrorType { get; }
}

/// <summary>The error names the control functions report, which the ASL's Retry and Catch fields use.</summary>
public static class ErrorTypes
{
    /// <summary>The experiment input is invalid (not retried).</summary>
    public const string ExperimentInvalid = "ExperimentInvalid";

    /// <summary>Preflight refused to start (not retried).</summary>
    public const string PreflightRefused = "PreflightRefused";

    /// <summary>A backend call failed in a way that may pass on a retry: throttling, 5xx, network (retried).</summary>
    public const string BackendUnavailable = "BackendUnavailable";

    /// <summary>A parameter write AWS would refuse: its name, size or tier (not retried).</summary>
    public const string ParameterInvalid = ParameterRules.InvalidErrorCode;

    /// <summary>A backend refused the call for good and gave no error name (not retried).</summary>
    public const string BackendRefused = "BackendRefused";

    /// <summary>Rollback could not restore everything, and at least one failure may pass on a retry (retried).</summary>
    public const string RollbackIncomplete = "RollbackIncomplete";

    /// <summary>Rollback could not restore everything and every failure was permanent, e.g. access denied (not retried).</summary>
    public const string RollbackRefused = "RollbackRefused";

    /// <summary>The step's input is not what the step needs (not retried).</summary>
    public const string InvalidState = "InvalidState";

    /// <summary>The invocation's deadline passed before the step finished.</summary>
    public const string DeadlineExceeded = "DeadlineExceeded";

    /// <summary>The error name for an exception.</summary>
    public static string For(Exception exception) => exception switch
    {
        ControlFunctionException c => c.ErrorType,
        ExperimentValidationException => ExperimentInvalid,
        // Permanent errors keep the service's own name (AccessDeniedException, ParameterNotFound, ...).
        BackendException { IsTransient: true } => BackendUnavailable,
        BackendException b => b.ErrorCode ?? BackendRefused,
        _ => exception.GetType().Name,
    };
}
