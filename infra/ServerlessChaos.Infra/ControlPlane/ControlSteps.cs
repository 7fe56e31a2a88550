namespace ServerlessChaos.Infra.ControlPlane;

/// <summary>The AWS access a control function gets; each flag is one narrowly scoped policy statement group.</summary>
[Flags]
public enum ControlAccess
{
    /// <summary>Nothing beyond writing its own logs.</summary>
    None = 0,

    /// <summary>ssm:GetParameter(s)/GetParametersByPath on the wrapper prefix, the ledger prefix and the halt parameter.</summary>
    ReadSettings = 1,

    /// <summary>ssm:PutParameter/DeleteParameter under the wrapper prefix.</summary>
    WriteSettings = 2,

    /// <summary>ssm:PutParameter/DeleteParameter under the rollback ledger prefix.</summary>
    WriteLedger = 256,

    /// <summary>cloudwatch:DescribeAlarms.</summary>
    ReadAlarms = 4,

    /// <summary>fis:GetExperiment and fis:GetExperimentTemplate; fis:ListExperimentTemplates and fis:ListExperiments (on <c>*</c>).</summary>
    ReadExperiments = 8,

    /// <summary>fis:StartExperiment on templates tagged serverless-chaos:managed=true.</summary>
    StartExperiments = 16,

    /// <summary>fis:StopExperiment.</summary>
    StopExperiments = 32,

    /// <summary>sqs:SendMessage to the dead-letter queue.</summary>
    SendDeadLetters = 64,

    /// <summary>states:DescribeExecution/GetExecutionHistory on this state machine's executions.</summary>
    ReadExecutions = 128,
}

/// <summary>One control function: the handler name the bootstrap dispatches on, and what it may touch.</summary>
/// <param name="Handler">The Lambda handler (<c>_HANDLER</c>) that selects the step.</param>
/// <param name="Placeholder">The ASL substitution placeholder of its ARN.</param>
/// <param name="Description">What the step does.</param>
/// <param name="Access">Its permissions.</param>
public sealed record ControlStep(string Handler, string Placeholder, string Description, ControlAccess Access);

/// <summary>The control functions the state machine sequences (handler names from the team contract).</summary>
public static class ControlSteps
{
    private const ControlAccess Rollback = ControlAccess.ReadSettings | ControlAccess.WriteSettings | ControlAccess.WriteLedger
        | ControlAccess.ReadExperiments | ControlAccess.StopExperiments;

    /// <summary>Every known step.</summary>
    public static IReadOnlyList<ControlStep> All { get; } =
    [
        new("validate", "ValidateFunctionArn", "Validates the experiment input", ControlAccess.ReadSettings),
        new("preflight", "PreflightFunctionArn", "Checks steady state, halt and baselines before anything is armed",
            ControlAccess.ReadSettings | ControlAccess.ReadAlarms | ControlAccess.ReadExperiments),
        new("arm", "ArmFunctionArn", "Records the rollback ledger and arms the wrapper faults",
            ControlAccess.ReadSettings | ControlAccess.WriteSettings | ControlAccess.WriteLedger),
        new("start", "StartFunctionArn", "Starts the FIS experiments",
            ControlAccess.ReadSettings | ControlAccess.WriteLedger | ControlAccess.StartExperiments | ControlAccess.ReadExperiments),
        new("observe", "ObserveFunctionArn", "Reads alarms, FIS state and elapsed time",
            ControlAccess.ReadSettings | ControlAccess.ReadAlarms | ControlAccess.ReadExperiments),
        new("rollback", "RollbackFunctionArn", "Restores the wrapper settings and stops FIS experiments", Rollback),
        new("verify", "VerifyFunctionArn", "Waits for the alarms to recover", ControlAccess.ReadSettings | ControlAccess.ReadAlarms),
        new("report", "ReportFunctionArn", "Builds the experiment result", ControlAccess.ReadSettings),
        new("deadletter", "DeadLetterFunctionArn", "Sends a failed experiment to the dead-letter queue",
            ControlAccess.ReadSettings | ControlAccess.SendDeadLetters),
        new("cleanup", "CleanupFunctionArn", "Rolls back executions that were stopped, timed out or failed",
            Rollback | ControlAccess.ReadExecutions | ControlAccess.SendDeadLetters),
    ];

    /// <summary>
    /// A step the ASL names (<c>${SomethingFunctionArn}</c>) that this catalog does not know: the orchestrator may add
    /// steps; they get a function with handler <c>something</c> and read access to the settings only.
    /// </summary>
    public static ControlStep Unknown(string placeholder) =>
        new(placeholder[..^"FunctionArn".Length].ToLowerInvariant(), placeholder, "A control step added by the state machine", ControlAccess.ReadSettings);
}
