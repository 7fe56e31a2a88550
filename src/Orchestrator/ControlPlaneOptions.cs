namespace ServerlessChaos.Orchestrator;

/// <summary>Settings of the control functions, read from their environment variables.</summary>
public sealed class ControlPlaneOptions
{
    /// <summary>Wrapper parameters must start with this (<c>SERVERLESS_CHAOS_PARAMETER_PREFIX</c>).</summary>
    public string ParameterPrefix { get; init; } = ChaosConventions.ParameterPrefix;

    /// <summary>The global halt switch (<c>SERVERLESS_CHAOS_HALT_PARAMETER</c>).</summary>
    public string HaltParameter { get; init; } = ChaosConventions.HaltParameter;

    /// <summary>Where rollback ledgers are kept (<c>SERVERLESS_CHAOS_LEDGER_PREFIX</c>).</summary>
    public string LedgerPrefix { get; init; } = ChaosConventions.LedgerPrefix;

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
            ParameterPrefix = Or(ChaosConventions.ParameterPrefixVariable, ChaosConventions.ParameterPrefix),
            HaltParameter = Or(ChaosConventions.HaltParameterVariable, ChaosConventions.HaltParameter),
            LedgerPrefix = Or(ChaosConventions.LedgerPrefixVariable, ChaosConventions.LedgerPrefix),
            DeadLetterQueueUrl = read("SERVERLESS_CHAOS_DLQ_URL"),
            Backend = Or("SERVERLESS_CHAOS_BACKEND", "aws"),
            LocalStateFolder = read("SERVERLESS_CHAOS_LOCAL_STATE"),
        };
    }
}
