namespace ServerlessChaos;

/// <summary>
/// The names every part of ServerlessChaos agrees on: the wrapper, the control functions, the CLI and the CDK app.
/// This one file is compiled into each of those assemblies (as internal, so no assembly gains a dependency);
/// change a name here and every project follows.
/// </summary>
internal static class ChaosConventions
{
    /// <summary>Prefix of the functions' wrapper settings parameters: the parameter is this plus the function name.</summary>
    public const string ParameterPrefix = "/serverless-chaos/functions/";

    /// <summary>The global halt parameter every wrapper and the state machine read.</summary>
    public const string HaltParameter = "/serverless-chaos/halt";

    /// <summary>Prefix of the rollback ledgers: one parameter per execution (or per <c>chaos arm</c>).</summary>
    public const string LedgerPrefix = "/serverless-chaos/ledger/";

    /// <summary>The disarmed baseline settings document.</summary>
    public const string DisarmedDocument = """{"version":1,"enabled":false}""";

    /// <summary>Tag on FIS templates the control plane may start and on every experiment it started.</summary>
    public const string ManagedTagKey = "serverless-chaos:managed";

    /// <summary>The value of <see cref="ManagedTagKey"/>.</summary>
    public const string ManagedTagValue = "true";

    /// <summary>Tag on a FIS experiment naming the state machine execution that started it.</summary>
    public const string ExecutionTagKey = "serverless-chaos:execution";

    /// <summary>Tag on a FIS experiment naming the experiment (its input's <c>name</c>).</summary>
    public const string ExperimentTagKey = "serverless-chaos:experiment";

    /// <summary>Environment variable: a function's own settings parameter (the wrapper opts in when it is set).</summary>
    public const string ParameterVariable = "SERVERLESS_CHAOS_PARAMETER";

    /// <summary>Environment variable: overrides <see cref="HaltParameter"/>.</summary>
    public const string HaltParameterVariable = "SERVERLESS_CHAOS_HALT_PARAMETER";

    /// <summary>Environment variable: overrides <see cref="ParameterPrefix"/>.</summary>
    public const string ParameterPrefixVariable = "SERVERLESS_CHAOS_PARAMETER_PREFIX";

    /// <summary>Environment variable: overrides <see cref="LedgerPrefix"/>.</summary>
    public const string LedgerPrefixVariable = "SERVERLESS_CHAOS_LEDGER_PREFIX";
}
