namespace ServerlessChaos.Infra.Settings;

/// <summary>Everything the CDK app deploys, as read from the <c>serverlessChaos</c> context key.</summary>
public sealed record InfraSettings
{
    /// <summary>The context key in cdk.json that holds these settings.</summary>
    public const string ContextKey = "serverlessChaos";

    /// <summary>Context key choosing the bootstrap: a published folder, or <c>placeholder</c> for an offline synth.</summary>
    public const string BootstrapContextKey = "serverlessChaos:bootstrap";

    /// <summary>The folder (relative to the repository root) cdk.json's build step publishes the bootstrap into.</summary>
    public const string DefaultBootstrapDirectory = "artifacts/bootstrap";

    /// <summary>The repository root: the ASL file and the experiment inputs are read from here.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>Prefix of every physical name (functions, state machine, schedules). Defaults to <c>serverless-chaos</c>.</summary>
    public string NamePrefix { get; init; } = "serverless-chaos";

    /// <summary>SSM prefix of the wrapper settings parameters. Defaults to <c>/serverless-chaos/functions/</c>.</summary>
    public string ParameterPrefix { get; init; } = ChaosConventions.ParameterPrefix;

    /// <summary>SSM prefix of the rollback ledgers (one parameter per execution). Defaults to <c>/serverless-chaos/ledger/</c>.</summary>
    public string LedgerPrefix { get; init; } = ChaosConventions.LedgerPrefix;

    /// <summary>The global halt parameter. Defaults to <c>/serverless-chaos/halt</c>.</summary>
    public string HaltParameter { get; init; } = ChaosConventions.HaltParameter;

    /// <summary>Retention of every log group the app creates, in days. Defaults to 30.</summary>
    public int LogRetentionDays { get; init; } = 30;

    /// <summary>Memory of each control function in MB. Defaults to 512 (more memory is more CPU for a faster cold start).</summary>
    public int ControlFunctionMemoryMb { get; init; } = 512;

    /// <summary>Timeout of each control function in seconds. Defaults to 60.</summary>
    public int ControlFunctionTimeoutSeconds { get; init; } = 60;

    /// <summary>Where the published bootstrap is, or <see langword="null"/> for the placeholder (synth only).</summary>
    public BootstrapSource Bootstrap { get; init; } = BootstrapSource.Published(DefaultBootstrapDirectory);

    /// <summary>FIS experiment templates the control-plane stack creates.</summary>
    public IReadOnlyList<ExperimentTemplateSettings> ExperimentTemplates { get; init; } = [];

    /// <summary>Scheduled game days.</summary>
    public IReadOnlyList<ScheduleSettings> Schedules { get; init; } = [];

    /// <summary>The sample target stack (API Gateway + Lambda + ECS Fargate).</summary>
    public SampleTargetSettings SampleTarget { get; init; } = new();

    /// <summary>The state machine's physical name.</summary>
    public string StateMachineName => $"{NamePrefix}-experiment";
}

/// <summary>Which bootstrap executable the functions deploy.</summary>
/// <param name="Directory">The folder holding <c>bootstrap</c>, relative to the repository root or absolute; null for the placeholder.</param>
public sealed record BootstrapSource(string? Directory)
{
    /// <summary>The real bootstrap, published into <paramref name="directory"/>.</summary>
    public static BootstrapSource Published(string directory) => new(directory);

    /// <summary>A placeholder that lets an offline synth (tests, reviews) run without a publish; it cannot be deployed.</summary>
    public static BootstrapSource Placeholder { get; } = new((string?)null);

    /// <summary>True for the placeholder.</summary>
    public bool IsPlaceholder => Directory is null;
}

/// <summary>One FIS experiment template.</summary>
public sealed record ExperimentTemplateSettings
{
    /// <summary>Name (lowercase letters, digits, dashes); the template's <c>Name</c> tag and its logical id.</summary>
    public required string Name { get; init; }

    /// <summary>What the template does, shown in the FIS console.</summary>
    public required string Description { get; init; }

    /// <summary>The FIS action id, one of <see cref="Fis.FisActions.All"/>.</summary>
    public required string Action { get; init; }

    /// <summary>Action parameters (FIS takes strings), e.g. <c>statusCode</c>, <c>invocationPercentage</c>.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>ISO 8601 duration of the action, e.g. <c>PT5M</c>.</summary>
    public required string Duration { get; init; }

    /// <summary>Tags that select the targets (all must match).</summary>
    public required IReadOnlyDictionary<string, string> TargetTags { get; init; }

    /// <summary>Bounded selection: <c>COUNT(n)</c> or <c>PERCENT(n)</c>.</summary>
    public required string SelectionMode { get; init; }

    /// <summary>Names of the hypothesis alarms that stop the experiment when they go into ALARM.</summary>
    public required IReadOnlyList<string> StopAlarms { get; init; }
}

/// <summary>One scheduled game day.</summary>
public sealed record ScheduleSettings
{
    /// <summary>Schedule name (letters, digits, <c>-_.</c>).</summary>
    public required string Name { get; init; }

    /// <summary><c>cron(...)</c>, <c>rate(...)</c> or <c>at(...)</c>.</summary>
    public required string Expression { get; init; }

    /// <summary>IANA time zone the expression is evaluated in. Defaults to <c>UTC</c>.</summary>
    public string TimeZone { get; init; } = "UTC";

    /// <summary>The experiment input, a file under <c>events/experiments/</c> (relative to the repository root).</summary>
    public required string InputFile { get; init; }

    /// <summary>Whether the schedule fires. Defaults to true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Retries of a failed StartExecution before the event goes to the DLQ. Defaults to 3.</summary>
    public int MaximumRetryAttempts { get; init; } = 3;

    /// <summary>How long an event may be retried, in seconds (60 to 86400). Defaults to 3600.</summary>
    public int MaximumEventAgeSeconds { get; init; } = 3600;
}

/// <summary>The sample target stack.</summary>
public sealed record SampleTargetSettings
{
    /// <summary>Whether the sample target stack is part of the app. Defaults to true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Tasks the sample ECS service runs. Defaults to 1.</summary>
    public int DesiredCount { get; init; } = 1;

    /// <summary>The container image of the sample ECS service. Defaults to <c>public.ecr.aws/nginx/nginx:stable</c>.</summary>
    public string ContainerImage { get; init; } = "public.ecr.aws/nginx/nginx:stable";
}
