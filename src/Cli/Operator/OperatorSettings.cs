using System.CommandLine;
using ServerlessChaos.Cli.Commands;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Operator;

/// <summary>The names every operator command shares: the parameter prefix and the halt parameter.</summary>
internal static class OperatorSettings
{
    /// <summary>The default prefix of the functions' settings parameters.</summary>
    public const string DefaultPrefix = "/serverless-chaos/functions/";

    /// <summary>The default name of the deployed state machine.</summary>
    public const string DefaultStateMachineName = "serverless-chaos-experiment";

    /// <summary>The disarmed baseline document.</summary>
    public const string DisarmedDocument = """{"version":1,"enabled":false}""";

    /// <summary>The tag every FIS experiment the project starts carries.</summary>
    public const string ManagedTagKey = "serverless-chaos:managed";

    /// <summary><c>--prefix</c>, defaulting to <c>SERVERLESS_CHAOS_PARAMETER_PREFIX</c> or <see cref="DefaultPrefix"/>.</summary>
    public static Option<string> PrefixOption(CliContext context) => new("--prefix")
    {
        Description = "The prefix of the functions' settings parameters.",
        DefaultValueFactory = _ => context.GetEnvironmentVariable("SERVERLESS_CHAOS_PARAMETER_PREFIX") is { Length: > 0 } p ? p : DefaultPrefix,
    };

    /// <summary><c>--halt-parameter</c>, defaulting to <c>SERVERLESS_CHAOS_HALT_PARAMETER</c> or the wrapper's default.</summary>
    public static Option<string> HaltParameterOption(CliContext context) => new("--halt-parameter")
    {
        Description = "The global halt parameter the wrappers and the state machine read.",
        DefaultValueFactory = _ => context.GetEnvironmentVariable("SERVERLESS_CHAOS_HALT_PARAMETER") is { Length: > 0 } p ? p : HaltValue.DefaultParameterName,
    };

    /// <summary><c>--state-machine</c>: an ARN or a name, defaulting to <c>SERVERLESS_CHAOS_STATE_MACHINE_ARN</c> or <see cref="DefaultStateMachineName"/>.</summary>
    public static Option<string> StateMachineOption(CliContext context) => new("--state-machine")
    {
        Description = "The experiment state machine: its ARN, or its name to look up.",
        DefaultValueFactory = _ => context.GetEnvironmentVariable("SERVERLESS_CHAOS_STATE_MACHINE_ARN") is { Length: > 0 } p ? p : DefaultStateMachineName,
    };

    /// <summary>The path to list parameters under: the prefix with one trailing slash removed (SSM paths have none).</summary>
    public static string PathOf(string prefix) => prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
}
