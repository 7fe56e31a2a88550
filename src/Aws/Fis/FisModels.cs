namespace ServerlessChaos.Aws.Fis;

/// <summary>The states of an FIS experiment.</summary>
public static class FisExperimentStatus
{
    /// <summary>Accepted, not started.</summary>
    public const string Pending = "pending";

    /// <summary>Checking targets and permissions.</summary>
    public const string Initiating = "initiating";

    /// <summary>Actions are running.</summary>
    public const string Running = "running";

    /// <summary>All actions finished.</summary>
    public const string Completed = "completed";

    /// <summary>A stop was asked for; actions are being stopped.</summary>
    public const string Stopping = "stopping";

    /// <summary>Stopped by a user or a stop condition.</summary>
    public const string Stopped = "stopped";

    /// <summary>An action or the experiment failed.</summary>
    public const string Failed = "failed";

    /// <summary>Cancelled before it ran.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>True for the states an experiment never leaves.</summary>
    public static bool IsFinal(string status) => status is Completed or Stopped or Failed or Cancelled;
}

/// <summary>What to start.</summary>
public sealed record FisStartExperimentRequest
{
    /// <summary>The experiment template id, e.g. <c>EXT1a2b3c4d5e6f7</c>.</summary>
    public required string ExperimentTemplateId { get; init; }

    /// <summary>
    /// Makes the start idempotent: a retry with the same token starts nothing new. Required: derive it
    /// from the run (e.g. the Step Functions execution name), so a retried step never starts twice.
    /// </summary>
    public required string ClientToken { get; init; }

    /// <summary>Tags for the experiment.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>skip-all</c> (a dry run: targets resolved, no action runs) or <c>run-all</c>; null for the service default.</summary>
    public string? ActionsMode { get; init; }
}

/// <summary>The state of an experiment or one of its actions.</summary>
/// <param name="Status">One of <see cref="FisExperimentStatus"/> (actions also have e.g. <c>initiating</c>, <c>skipped</c>).</param>
/// <param name="Reason">Why it is in that state, if FIS said.</param>
/// <param name="ErrorCode">The error code of a failed experiment, if any.</param>
public sealed record FisState(string Status, string? Reason, string? ErrorCode = null);

/// <summary>An experiment.</summary>
public sealed record FisExperiment
{
    /// <summary>The experiment id.</summary>
    public required string Id { get; init; }

    /// <summary>The experiment ARN, if reported.</summary>
    public string? Arn { get; init; }

    /// <summary>The template it was started from.</summary>
    public string? ExperimentTemplateId { get; init; }

    /// <summary>The state.</summary>
    public required FisState State { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>When it started running.</summary>
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>Its tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary><c>skip-all</c> or <c>run-all</c>, when reported.</summary>
    public string? ActionsMode { get; init; }

    /// <summary>Each action by name: the FIS action id and its state (only in GetExperiment/Start/Stop replies).</summary>
    public IReadOnlyDictionary<string, FisExperimentAction> Actions { get; init; } = new Dictionary<string, FisExperimentAction>();
}

/// <summary>An action of an experiment.</summary>
/// <param name="ActionId">The FIS action, e.g. <c>aws:lambda:invocation-add-delay</c>.</param>
/// <param name="State">Its state.</param>
public sealed record FisExperimentAction(string ActionId, FisState? State);

/// <summary>An experiment template as ListExperimentTemplates returns it.</summary>
public sealed record FisExperimentTemplateSummary
{
    /// <summary>The template id.</summary>
    public required string Id { get; init; }

    /// <summary>The ARN, if reported.</summary>
    public string? Arn { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset? LastUpdateTime { get; init; }

    /// <summary>Its tags (templates ServerlessChaos may start carry <c>serverless-chaos:managed</c> = <c>true</c>).</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>A whole experiment template.</summary>
public sealed record FisExperimentTemplate
{
    /// <summary>The template id.</summary>
    public required string Id { get; init; }

    /// <summary>The ARN, if reported.</summary>
    public string? Arn { get; init; }

    /// <summary>The description.</summary>
    public string? Description { get; init; }

    /// <summary>The role FIS assumes.</summary>
    public string? RoleArn { get; init; }

    /// <summary>Its tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Each action by name: its FIS action id (e.g. <c>aws:ecs:stop-task</c>).</summary>
    public IReadOnlyDictionary<string, string> Actions { get; init; } = new Dictionary<string, string>();

    /// <summary>Stop conditions: source (<c>aws:cloudwatch:alarm</c> or <c>none</c>) and value (the alarm ARN).</summary>
    public IReadOnlyList<FisStopCondition> StopConditions { get; init; } = [];

    /// <summary>When it was created.</summary>
    public DateTimeOffset? CreationTime { get; init; }

    /// <summary>When it was last changed.</summary>
    public DateTimeOffset? LastUpdateTime { get; init; }
}

/// <summary>A stop condition of a template.</summary>
/// <param name="Source"><c>aws:cloudwatch:alarm</c> or <c>none</c>.</param>
/// <param name="Value">The alarm ARN, for alarm conditions.</param>
public sealed record FisStopCondition(string Source, string? Value);
