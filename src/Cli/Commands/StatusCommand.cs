using System.CommandLine;
using System.Globalization;
using ServerlessChaos.Cli.Operator;

namespace ServerlessChaos.Cli.Commands;

/// <summary><c>chaos status</c>: what is armed, whether chaos is halted, and what is running.</summary>
internal static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var prefix = OperatorSettings.PrefixOption(context);
        var halt = OperatorSettings.HaltParameterOption(context);
        var ledgerPrefix = OperatorSettings.LedgerPrefixOption(context);
        var stateMachine = OperatorSettings.StateMachineOption(context);
        var command = new Command("status", "Show every settings parameter under the prefix with its faults and expiry, the halt state, running executions and the project's running FIS experiments. Exit code 2 when any of it could not be read (the rest is still shown).")
        {
            prefix, halt, ledgerPrefix, stateMachine,
        };
        command.SetAction(async (parse, ct) =>
        {
            var c = CultureInfo.InvariantCulture;
            var o = context.Out;
            var now = context.Clock.GetUtcNow();
            var options = OperatorSettings.Resolve(parse, prefix, halt, ledgerPrefix);
            var arn = parse.GetValue(stateMachine);
            var status = await context.Operator(options).StatusAsync(arn, ct).ConfigureAwait(false);
            var haltValue = status.HaltValue is null ? null : ServerText.Clean(status.HaltValue.Trim());
            await o.WriteLineAsync(!status.HaltRead
                ? $"Halt: UNKNOWN ({options.HaltParameter} could not be read)"
                : status.Halted
                    ? $"Halt: HALTED ({options.HaltParameter} = {haltValue})"
                    : $"Halt: not halted ({options.HaltParameter} {(haltValue is null ? "does not exist" : $"= {haltValue}")})").ConfigureAwait(false);

            if (status.Parameters is { } parameters)
            {
                await o.WriteLineAsync($"Parameters under {options.ParameterPrefix}: {parameters.Count(p => p.IsArmedAt(now))} armed of {parameters.Count}").ConfigureAwait(false);
                var kept = status.ArmLedgers?.ToHashSet(StringComparer.Ordinal) ?? [];
                foreach (var p in parameters)
                {
                    var name = ServerText.Clean(p.Name);
                    var kind = p.Stored.Type == "String" ? "" : $"  ({p.Stored.Type})";
                    if (!p.Parsed.IsValid)
                    {
                        await o.WriteLineAsync($"  {name}  INVALID: {ServerText.Clean(string.Join("; ", p.Parsed.Errors.Select(e => e.Message)))}{kind}").ConfigureAwait(false);
                        continue;
                    }

                    var s = p.Parsed.Settings!;
                    if (!p.IsArmedAt(now))
                    {
                        var why = !s.Enabled ? "disarmed" : s.ExpiresAt is { } e ? string.Create(c, $"expired {e.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC") : "disarmed";
                        await o.WriteLineAsync($"  {name}  {why}{kind}").ConfigureAwait(false);
                        continue;
                    }

                    var expiry = s.ExpiresAt is { } at ? string.Create(c, $"until {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({DurationText.Format(at - now)} left)") : "with no expiry";
                    var experiment = s.ExperimentId is null ? "" : $", experiment {ServerText.Clean(s.ExperimentId)}";
                    var ledger = kept.Contains(p.Name) ? ", prior value kept for chaos disarm" : "";
                    await o.WriteLineAsync($"  {name}  ARMED {expiry}{experiment}{ledger}{kind}").ConfigureAwait(false);
                    foreach (var fault in s.Faults)
                    {
                        await o.WriteLineAsync($"      {ServerText.Clean(SettingsDescription.Describe(fault))}").ConfigureAwait(false);
                    }
                }
            }

            if (arn is null)
            {
                await o.WriteLineAsync("Running executions: not checked (give --state-machine or set SERVERLESS_CHAOS_STATE_MACHINE_ARN)").ConfigureAwait(false);
            }
            else if (status.Executions is { } running)
            {
                await o.WriteLineAsync($"Running executions of {arn}: {running.Count}").ConfigureAwait(false);
                foreach (var e in running)
                {
                    await o.WriteLineAsync($"  {ServerText.Clean(e.Name)}  started {e.StartedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c)} UTC  {ServerText.Clean(e.Arn)}").ConfigureAwait(false);
                }
            }

            if (status.FisExperiments is { } experiments)
            {
                await o.WriteLineAsync($"Running FIS experiments tagged {ChaosConventions.ManagedTagKey}={ChaosConventions.ManagedTagValue}: {experiments.Count}").ConfigureAwait(false);
                foreach (var x in experiments)
                {
                    await o.WriteLineAsync($"  {ServerText.Clean(x.Id)}  {ServerText.Clean(x.State)}").ConfigureAwait(false);
                }
            }

            foreach (var problem in status.Problems)
            {
                await context.Error.WriteLineAsync($"chaos: could not {ServerText.Clean(problem.Text)}: {ServerText.Clean(problem.Error)}").ConfigureAwait(false);
            }

            return status.Problems.Count == 0 ? ChaosCli.Ok : ChaosCli.Error;
        });
        return command;
    }
}
