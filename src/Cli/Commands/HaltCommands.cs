using System.CommandLine;
using ServerlessChaos.Cli.Operator;

namespace ServerlessChaos.Cli.Commands;

/// <summary><c>chaos halt</c> and <c>chaos unhalt</c>: the big red switch.</summary>
internal static class HaltCommands
{
    /// <summary>Builds <c>chaos halt</c>.</summary>
    public static Command CreateHalt(CliContext context)
    {
        var reason = new Option<string>("--reason") { Description = "Why, for the halt parameter and the stopped executions.", DefaultValueFactory = _ => "chaos halt" };
        var prefix = OperatorSettings.PrefixOption(context);
        var halt = OperatorSettings.HaltParameterOption(context);
        var ledgerPrefix = OperatorSettings.LedgerPrefixOption(context);
        var stateMachine = OperatorSettings.StateMachineOption(context);
        var command = new Command(
            "halt",
            "Stop all chaos now, best effort, injection first: set the halt parameter (every wrapper stops injecting), restore every parameter a rollback ledger " +
            "recorded and disarm every other armed one under the prefix, stop the project's running FIS experiments, stop running executions. " +
            "Every failure is reported and the rest still done. Exit code 0 when everything was done, 2 when anything failed. Safe to run again.")
        {
            reason, prefix, halt, ledgerPrefix, stateMachine,
        };
        command.SetAction(async (parse, ct) =>
        {
            var options = OperatorSettings.Resolve(parse, prefix, halt, ledgerPrefix);
            var report = await context.Operator(options)
                .HaltAsync(parse.GetValue(reason) ?? "chaos halt", parse.GetValue(stateMachine), ReportOutput.Printer(context), ct)
                .ConfigureAwait(false);
            return await ReportOutput.SummaryAsync(context, report, "Halted. Run 'chaos unhalt' to allow chaos again.", "run 'chaos halt' again to retry what failed.").ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Builds <c>chaos unhalt</c>.</summary>
    public static Command CreateUnhalt(CliContext context)
    {
        var halt = OperatorSettings.HaltParameterOption(context);
        var command = new Command("unhalt", "Allow chaos again: write false to the halt parameter. Nothing is re-armed.") { halt };
        command.SetAction(async (parse, ct) =>
        {
            var options = new Orchestrator.ControlPlaneOptions { HaltParameter = parse.GetRequiredValue(halt) };
            await context.Operator(options).UnhaltAsync(ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Unhalted: {options.HaltParameter} = false. Nothing was re-armed.").ConfigureAwait(false);
            return ChaosCli.Ok;
        });
        return command;
    }
}
