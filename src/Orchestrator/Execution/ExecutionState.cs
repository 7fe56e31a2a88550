using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Execution;

/// <summary>
/// The document that flows through the state machine: every control function takes it and returns it
/// updated. A Catch adds <see cref="Error"/> (ResultPath <c>$.error</c>) and keeps the rest.
/// </summary>
public sealed class ExecutionState
{
    /// <summary>The experiment input as given.</summary>
    public JsonNode? Input { get; set; }

    /// <summary>Which execution this is (from the Step Functions context object).</summary>
    public ExecutionInfo Execution { get; set; } = new();

    /// <summary>The validated experiment; null until validate has run.</summary>
    public Experiment? Experiment { get; set; }

    /// <summary>Times computed when the faults go on.</summary>
    public ExperimentPlan? Plan { get; set; }

    /// <summary>The last observation; the monitor loop's Choice states read it.</summary>
    public MonitorState? Monitor { get; set; }

    /// <summary>The recovery check after rollback.</summary>
    public VerifyState? Verify { get; set; }

    /// <summary>Why the monitor loop ended: duration, alarm, halt, fis-stopped, fis-failed, fis-cancelled, fis-unknown.</summary>
    public string? StopReason { get; set; }

    /// <summary>What the last rollback did.</summary>
    public RollbackOutcome? Rollback { get; set; }

    /// <summary>The journal: the execution's result.</summary>
    public Journal Journal { get; set; } = new();

    /// <summary>The error a Catch recorded.</summary>
    public StepError? Error { get; set; }

    /// <summary>The error of a rollback that failed after its retries.</summary>
    public StepError? RollbackError { get; set; }

    /// <summary>The id of the dead-letter message, once sent.</summary>
    public string? DeadLetterMessageId { get; set; }
}

/// <summary>The Step Functions execution.</summary>
public sealed class ExecutionInfo
{
    /// <summary>The execution ARN.</summary>
    public string Id { get; set; } = "";

    /// <summary>The execution name (unique per state machine); it names the rollback ledger.</summary>
    public string Name { get; set; } = "";

    /// <summary>When the execution started.</summary>
    public string? StartTime { get; set; }
}

/// <summary>Times fixed when the experiment starts.</summary>
public sealed class ExperimentPlan
{
    /// <summary>When the faults went on.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the monitor loop ends if nothing happens.</summary>
    public DateTimeOffset EndsAt { get; set; }

    /// <summary>The wrapper settings' expiresAt: the end plus the recovery window plus a margin.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The worst-case time from a breach to rollback that preflight computed.</summary>
    public int WorstCaseAbortSeconds { get; set; }
}

/// <summary>One observation of the running experiment.</summary>
public sealed class MonitorState
{
    /// <summary>Seconds the next Wait state waits.</summary>
    public int WaitSeconds { get; set; }

    /// <summary>An alarm of the hypothesis is in ALARM.</summary>
    public bool AlarmBreached { get; set; }

    /// <summary>The halt parameter is set.</summary>
    public bool Halted { get; set; }

    /// <summary>The combined FIS state, or <c>none</c> when the experiment starts no FIS template.</summary>
    public string FisState { get; set; } = "none";

    /// <summary>The experiment's duration has passed.</summary>
    public bool DurationReached { get; set; }

    /// <summary>Seconds since the faults went on.</summary>
    public int ElapsedSeconds { get; set; }

    /// <summary>How many observations were made.</summary>
    public int Polls { get; set; }

    /// <summary>When an alarm was first seen in ALARM.</summary>
    public DateTimeOffset? AlarmSeenAt { get; set; }
}

/// <summary>The recovery check.</summary>
public sealed class VerifyState
{
    /// <summary>When the recovery window ends.</summary>
    public DateTimeOffset Deadline { get; set; }

    /// <summary>True when the check has an answer (recovered, or the window is over).</summary>
    public bool Done { get; set; }

    /// <summary>Every alarm was OK.</summary>
    public bool Recovered { get; set; }

    /// <summary>Seconds the next Wait state waits.</summary>
    public int WaitSeconds { get; set; }
}

/// <summary>What a rollback did.</summary>
public sealed class RollbackOutcome
{
    /// <summary>Everything in the ledger was restored and every FIS experiment stopped.</summary>
    public bool Completed { get; set; }

    /// <summary>Parameters put back to their prior value (or deleted when they had none).</summary>
    public List<string> Restored { get; set; } = new();

    /// <summary>FIS experiments asked to stop.</summary>
    public List<string> StoppedFisExperiments { get; set; } = new();

    /// <summary>What could not be done.</summary>
    public List<string> Problems { get; set; } = new();

    /// <summary>When the rollback finished.</summary>
    public DateTimeOffset FinishedAt { get; set; }
}

/// <summary>A Step Functions error as a Catch records it.</summary>
public sealed class StepError
{
    /// <summary>The error name (the Lambda errorType).</summary>
    [JsonPropertyName("Error")]
    public string? Error { get; set; }

    /// <summary>The cause (the Lambda error payload or message).</summary>
    [JsonPropertyName("Cause")]
    public string? Cause { get; set; }
}

/// <summary>The execution's result: a timeline and the verdict.</summary>
public sealed class Journal
{
    /// <summary>The experiment name.</summary>
    public string? Experiment { get; set; }

    /// <summary>The execution ARN.</summary>
    public string? ExecutionId { get; set; }

    /// <summary><c>held</c>, <c>deviated</c>, <c>aborted</c> or <c>failed</c>; null while running.</summary>
    public string? Verdict { get; set; }

    /// <summary>Why the verdict is what it is.</summary>
    public List<string> Reasons { get; set; } = new();

    /// <summary>Every step and what it saw or did, in order.</summary>
    public List<JournalEntry> Timeline { get; set; } = new();

    /// <summary>The last state seen of each alarm.</summary>
    public Dictionary<string, string> Alarms { get; set; } = new();

    /// <summary>The FIS experiments started and the states seen.</summary>
    public List<FisRun> Fis { get; set; } = new();

    /// <summary>Parameters armed, with their expiresAt.</summary>
    public List<string> Armed { get; set; } = new();

    /// <summary>Parameters restored.</summary>
    public List<string> Restored { get; set; } = new();

    /// <summary>Probe results.</summary>
    public List<ProbeResult> Probes { get; set; } = new();

    /// <summary>Seconds from an alarm seen in ALARM to rollback finished, when that happened.</summary>
    public double? AlarmToRollbackSeconds { get; set; }
}

/// <summary>One timeline entry.</summary>
public sealed class JournalEntry
{
    /// <summary>When.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>Which step.</summary>
    public string Step { get; set; } = "";

    /// <summary>What happened.</summary>
    public string Message { get; set; } = "";
}

/// <summary>One FIS experiment.</summary>
public sealed class FisRun
{
    /// <summary>The template.</summary>
    public string TemplateId { get; set; } = "";

    /// <summary>The experiment started from it.</summary>
    public string ExperimentId { get; set; } = "";

    /// <summary>The states seen, in order, without repeats.</summary>
    public List<string> States { get; set; } = new();
}

/// <summary>One probe's result.</summary>
public sealed class ProbeResult
{
    /// <summary>The probe URL.</summary>
    public string Url { get; set; } = "";

    /// <summary>The request variant.</summary>
    public string Variant { get; set; } = "";

    /// <summary>Seconds of traffic sent so far.</summary>
    public int SecondsRun { get; set; }

    /// <summary>The responses.</summary>
    public ProbeCounts Counts { get; set; } = new();

    /// <summary>Whether the responses met the expectation.</summary>
    public bool Met { get; set; } = true;

    /// <summary>What did not meet it.</summary>
    public string? Problem { get; set; }
}

/// <summary>The rollback ledger: prior values recorded before anything is armed, one per execution.</summary>
public sealed class RollbackLedger
{
    /// <summary>The execution ARN.</summary>
    public string ExecutionId { get; set; } = "";

    /// <summary>The experiment name.</summary>
    public string Experiment { get; set; } = "";

    /// <summary>When the ledger was recorded.</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The prior value of every parameter the arm step touches.</summary>
    public List<LedgerEntry> Parameters { get; set; } = new();

    /// <summary>FIS experiments started by this execution.</summary>
    public List<FisRun> FisExperiments { get; set; } = new();

    /// <summary>Set once a rollback restored everything.</summary>
    public bool RolledBack { get; set; }
}

/// <summary>One parameter's prior value.</summary>
public sealed class LedgerEntry
{
    /// <summary>The parameter name.</summary>
    public string Parameter { get; set; } = "";

    /// <summary>Whether it existed before.</summary>
    public bool Existed { get; set; }

    /// <summary>Its value before, decrypted (null when it did not exist).</summary>
    public string? PriorValue { get; set; }

    /// <summary>Its type before: <c>String</c>, <c>StringList</c> or <c>SecureString</c>; rollback writes this type back.</summary>
    public string Type { get; set; } = Backends.ParameterTypes.String;

    /// <summary>The KMS key of a <c>SecureString</c> before (null: the default key).</summary>
    public string? KeyId { get; set; }

    /// <summary>Its tier before: <c>Standard</c> or <c>Advanced</c>.</summary>
    public string Tier { get; set; } = Backends.ParameterTiers.Standard;

    /// <summary>The tier arm wrote; Advanced over a Standard parameter means rollback deletes it before restoring.</summary>
    public string? ArmedTier { get; set; }
}

/// <summary>The dead-letter message: enough to replay or finish a cleanup by hand.</summary>
public sealed class DeadLetterMessage
{
    /// <summary>Always <c>serverless-chaos.experiment-failed</c>.</summary>
    public string Kind { get; set; } = "serverless-chaos.experiment-failed";

    /// <summary>The execution.</summary>
    public ExecutionInfo Execution { get; set; } = new();

    /// <summary>The original input.</summary>
    public JsonNode? Input { get; set; }

    /// <summary>The error that ended the experiment.</summary>
    public StepError? Error { get; set; }

    /// <summary>The journal so far.</summary>
    public Journal Journal { get; set; } = new();

    /// <summary>What rollback did.</summary>
    public RollbackOutcome? Rollback { get; set; }

    /// <summary>The rollback's own error, when it failed.</summary>
    public StepError? RollbackError { get; set; }

    /// <summary>Parameters that may still be armed and their prior values, for a manual cleanup.</summary>
    public List<LedgerEntry> StillToRestore { get; set; } = new();
}

/// <summary>What the cleanup function did for one ended execution.</summary>
public sealed class CleanupResult
{
    /// <summary>The execution.</summary>
    public string ExecutionId { get; set; } = "";

    /// <summary>The status the event reported.</summary>
    public string? Status { get; set; }

    /// <summary>True when there was a ledger for it.</summary>
    public bool LedgerFound { get; set; }

    /// <summary>What the rollback did, if anything was left.</summary>
    public RollbackOutcome? Rollback { get; set; }
}

/// <summary>Source-generated JSON for everything the control functions read and write (trim/AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(ExecutionState))]
[JsonSerializable(typeof(RollbackLedger))]
[JsonSerializable(typeof(DeadLetterMessage))]
[JsonSerializable(typeof(CleanupResult))]
[JsonSerializable(typeof(Experiment))]
public sealed partial class OrchestratorJson : JsonSerializerContext;
