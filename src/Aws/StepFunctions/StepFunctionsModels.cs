namespace ServerlessChaos.Aws.StepFunctions;

/// <summary>The statuses of an execution.</summary>
public static class StepFunctionsExecutionStatus
{
    /// <summary>Running.</summary>
    public const string Running = "RUNNING";

    /// <summary>Finished successfully.</summary>
    public const string Succeeded = "SUCCEEDED";

    /// <summary>Failed.</summary>
    public const string Failed = "FAILED";

    /// <summary>Timed out.</summary>
    public const string TimedOut = "TIMED_OUT";

    /// <summary>Stopped (e.g. from the console).</summary>
    public const string Aborted = "ABORTED";

    /// <summary>Waiting on a redrive.</summary>
    public const string PendingRedrive = "PENDING_REDRIVE";
}

/// <summary>An execution as DescribeExecution or ListExecutions returns it.</summary>
public sealed record StepFunctionsExecution
{
    /// <summary>The execution ARN.</summary>
    public required string ExecutionArn { get; init; }

    /// <summary>The state machine ARN.</summary>
    public string? StateMachineArn { get; init; }

    /// <summary>The execution name.</summary>
    public string? Name { get; init; }

    /// <summary>See <see cref="StepFunctionsExecutionStatus"/>.</summary>
    public required string Status { get; init; }

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartDate { get; init; }

    /// <summary>When it stopped.</summary>
    public DateTimeOffset? StopDate { get; init; }

    /// <summary>The input JSON (DescribeExecution only).</summary>
    public string? Input { get; init; }

    /// <summary>The output JSON of a succeeded execution (DescribeExecution only).</summary>
    public string? Output { get; init; }

    /// <summary>The error of a failed or stopped execution (DescribeExecution only).</summary>
    public string? Error { get; init; }

    /// <summary>The cause of a failed or stopped execution (DescribeExecution only).</summary>
    public string? Cause { get; init; }
}

/// <summary>The reply of StartExecution.</summary>
/// <param name="ExecutionArn">The new execution's ARN.</param>
/// <param name="StartDate">When it started.</param>
public sealed record StepFunctionsStartedExecution(string ExecutionArn, DateTimeOffset? StartDate);
