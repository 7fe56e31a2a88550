using System.CommandLine;
using ServerlessChaos.Cli.Commands;
using ServerlessChaos.Orchestrator;

namespace ServerlessChaos.Cli.Operator;

/// <summary>The names every operator command shares: the parameter prefix and the halt parameter.</summary>
internal static class OperatorSettings
{
    /// <summary><c>--prefix</c>, defaulting to <c>SERVERLESS_CHAOS_PARAMETER_PREFIX</c> or <see cref="ChaosConventions.ParameterPrefix"/>.</summary>
    public static Option<string> PrefixOption(CliContext context) => new("--prefix")
    {
        Description = "The prefix of the functions' settings parameters.",
        DefaultValueFactory = _ => context.GetEnvironmentVariable(ChaosConventions.ParameterPrefixVariable) is { Length: > 0 } p ? p : ChaosConventions.ParameterPrefix,
    };

    /// <summary><c>--halt-parameter</c>, defaulting to <c>SERVERLESS_CHAOS_HALT_PARAMETER</c> or the wrapper's default.</summary>
    public static Option<string> HaltParameterOption(CliContext context) => new("--halt-parameter")
    {
        Description = "The global halt parameter the wrappers and the state machine read.",
        DefaultValueFactory = _ => context.GetEnvironmentVariable(ChaosConventions.HaltParameterVariable) is { Length: > 0 } p ? p : ChaosConventions.HaltParameter,
    };

    /// <summary><c>--ledger-prefix</c>, defaulting to <c>SERVERLESS_CHAOS_LEDGER_PREFIX</c> or <see cref="ChaosConventions.LedgerPrefix"/>.</summary>
    public static Option<string> LedgerPrefixOption(CliContext context) => new("--ledger-prefix")
    {
        Description = "The prefix of the rollback ledgers (chaos arm keeps the prior value there; halt restores from them).",
        DefaultValueFactory = _ => context.GetEnvironmentVariable(ChaosConventions.LedgerPrefixVariable) is { Length: > 0 } p ? p : ChaosConventions.LedgerPrefix,
    };

    /// <summary>The control plane's names as the command line gave them (or their defaults).</summary>
    public static ControlPlaneOptions Resolve(ParseResult parse, Option<string> prefix, Option<string> halt, Option<string> ledgerPrefix) => new()
    {
        ParameterPrefix = parse.GetRequiredValue(prefix),
        HaltParameter = parse.GetRequiredValue(halt),
        LedgerPrefix = parse.GetRequiredValue(ledgerPrefix),
    };

    /// <summary><c>--state-machine</c>: the state machine's ARN, defaulting to <c>SERVERLESS_CHAOS_STATE_MACHINE_ARN</c>.</summary>
    public static Option<string?> StateMachineOption(CliContext context)
    {
        var option = new Option<string?>("--state-machine")
        {
            Description = "The experiment state machine's ARN (the StateMachineArn output of the control-plane stack). Defaults to SERVERLESS_CHAOS_STATE_MACHINE_ARN.",
            DefaultValueFactory = _ => context.GetEnvironmentVariable("SERVERLESS_CHAOS_STATE_MACHINE_ARN") is { Length: > 0 } p ? p : null,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } arn && !IsStateMachineArn(arn))
            {
                result.AddError($"--state-machine must be a state machine ARN like arn:aws:states:eu-west-1:123456789012:stateMachine:serverless-chaos-experiment (was \"{arn}\")");
            }
        });
        return option;
    }

    /// <summary>Whether the text looks like a Step Functions state machine ARN.</summary>
    public static bool IsStateMachineArn(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 7 && parts[0] == "arn" && parts[2] == "states" && parts[5] == "stateMachine" && parts[6].Length > 0;
    }

    /// <summary>The path to list parameters under: the prefix with one trailing slash removed (SSM paths have none).</summary>
    public static string PathOf(string prefix) => prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
}
