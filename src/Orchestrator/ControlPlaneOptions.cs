namespace ServerlessChaos.Orchestrator;

/// <summary>Settings of the control functions, read from their environment variables.</summary>
public sealed class ControlPlaneOptions
{
    /// <summary>The default wrapper settings parameter prefix.</summary>
    public const string DefaultParameterPrefix = "/serverless-chaos/functions/";

    /// <summary>The default halt parameter.</summary>
    public const string DefaultHaltParameter = "/serverless-chaos/halt";

    /// <summary>The default prefix of rollback ledgers (one parameter per execution).</summary>
    public const string DefaultLedgerPrefix = "/serverless-chaos/ledger/";

    /// <summary>Wrapper parameters must start with this (<c>SERVERLESS_CHAOS_PARAMETER_PREFIX</c>).</summary>
    public string ParameterPrefix { get; init; } = DefaultParameterPrefix;

    /// <summary>The global halt switch (<c>SERVERLESS_CHAOS_HALT_PARAMETER</c>).</summary>
    public string HaltParameter { get; init; } = DefaultHaltParameter;

    /// <summary>Where rollback ledgers are kept (<c>SERVERLESS_CHAOS_LEDGER_PREFIX</c>).</summary>
    public string LedgerPrefix { get; init; } = DefaultLedgerPrefix;

    /// <summary>The SQS dead-letter queue URL (<c>SERVERLESS_CHAOS_DLQ_URL</c>).</summary>
    public string? DeadLetterQueueUrl { get; init; }

    /// <summary><c>aws</c> (default) or <c>local</c> (<c>SERVERLESS_CHAOS_BACKEND</c>).</summary>
    public string Backend { get; init; } = "aws";

    /// <summary>The folder of the embedded backends' state (<c>SERVERLESS_CHAOS_LOCAL_STATE</c>).</summary>
    public string? LocalStateFolder { get; init; }

    /// <summary>
    /// Added to the end of the experiment for the wrapper settings' <c>expiresAt</c>, so settings expire
    /// on their own even if every rollback failed. Defaults to 5 minutes plus the recovery window.
    /// </summary>
    public TimeSpan ExpiryMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Time allowed for the rollback itself in the worst-case abort time. Defaults to 5 s.</summary>
    public TimeSpan RollbackAllowance { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads the options from environment variables (missing ones keep their defaults).</summary>
    public static ControlPlaneOptions FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string Or(string name, string fallback) => read(name) is { Length: > 0 } value ? value : fallback;
        return new ControlPlaneOptions
        {
            ParameterPrefix = Or("SERVERLESS_CHAOS_PARAMETER_PREFIX", DefaultParameterPrefix),
            HaltParameter = Or("SERVERLESS_CHAOS_HALT_PARAMETER", DefaultHaltParameter),
            LedgerPrefix = Or("SERVERLESS_CHAOS_LEDGER_PREFIX", DefaultLedgerPrefix),
            DeadLetterQueueUrl = read("SERVERLESS_CHAOS_DLQ_URL"),
            Backend = Or("SERVERLESS_CHAOS_BACKEND", "aws"),
            LocalStateFolder = read("SERVERLESS_CHAOS_LOCAL_STATE"),
        };
    }
}
