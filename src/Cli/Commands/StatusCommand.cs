using System.CommandLine;
using System.Globalization;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Cli.Operator;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Commands;

/// <summary><c>chaos status</c>: what is armed, whether chaos is halted, and what is running.</summary>
internal static class StatusCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var prefix = OperatorSettings.PrefixOption(context);
        var halt = OperatorSettings.HaltParameterOption(context);
        var stateMachine = OperatorSettings.StateMachineOption(context);
        var command = new Command("status", "Show every settings parameter under the prefix with its faults and expiry, the halt state, running executions and the project's running FIS experiments.")
        {
            prefix, halt, stateMachine,
        };
        command.SetAction(async (parse, ct) =>
        {
            var c = CultureInfo.InvariantCulture;
            var o = context.Out;
            var now = context.Clock.GetUtcNow();
            var options = context.AwsOptions();
            var ssm = new SsmClient(options);
            var haltName = parse.GetRequiredValue(halt);
            var haltValue = await ParameterReader.HaltValueAsync(ssm, haltName, ct).ConfigureAwait(false);
            await o.WriteLineAsync(HaltValue.IsHalted(haltValue)
                ? $"Halt: HALTED ({haltName} = {haltValue!.Trim()})"
                : $"Halt: not halted ({haltName} {(haltValue is null ? "does not exist" : $"= {haltValue.Trim()}")})").ConfigureAwait(false);

            var pathPrefix = parse.GetRequiredValue(prefix);
            var parameters = await ParameterReader.ListAsync(ssm, pathPrefix, ct).ConfigureAwait(false);
            await o.WriteLineAsync($"Parameters under {pathPrefix}: {parameters.Count(p => p.IsArmedAt(now))} armed of {parameters.Count}").ConfigureAwait(false);
            foreach (var p in parameters)
            {
                if (!p.Parsed.IsValid)
                {
                    await o.WriteLineAsync($"  {p.Name}  INVALID: {string.Join("; ", p.Parsed.Errors.Select(e => e.Message))}").ConfigureAwait(false);
                    continue;
                }

                var s = p.Parsed.Settings!;
                if (!p.IsArmedAt(now))
                {
                    var why = !s.Enabled ? "disarmed" : s.ExpiresAt is { } e ? string.Create(c, $"expired {e.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC") : "disarmed";
                    await o.WriteLineAsync($"  {p.Name}  {why}").ConfigureAwait(false);
                    continue;
                }

                var expiry = s.ExpiresAt is { } at ? string.Create(c, $"until {at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({DurationText.Format(at - now)} left)") : "with no expiry";
                await o.WriteLineAsync($"  {p.Name}  ARMED {expiry}{(s.ExperimentId is null ? "" : $", experiment {s.ExperimentId}")}").ConfigureAwait(false);
                foreach (var fault in s.Faults)
                {
                    await o.WriteLineAsync($"      {SettingsDescription.Describe(fault)}").ConfigureAwait(false);
                }
            }

            if (parse.GetValue(stateMachine) is { } arn)
            {
                var sfn = new StepFunctionsClient(options);
                List<StepFunctionsExecution> running = [];
                await foreach (var e in sfn.ListExecutionsAsync(arn, StepFunctionsExecutionStatus.Running, cancellationToken: ct).ConfigureAwait(false))
                {
                    running.Add(e);
                }

                await o.WriteLineAsync($"Running executions of {arn}: {running.Count}").ConfigureAwait(false);
                foreach (var e in running)
                {
                    await o.WriteLineAsync($"  {e.Name}  started {e.StartDate?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", c)} UTC  {e.ExecutionArn}").ConfigureAwait(false);
                }
            }
            else
            {
                await o.WriteLineAsync("Running executions: not checked (give --state-machine or set SERVERLESS_CHAOS_STATE_MACHINE_ARN)").ConfigureAwait(false);
            }

            var experiments = await ManagedFisExperiments.RunningAsync(new FisClient(options), ct).ConfigureAwait(false);
            await o.WriteLineAsync($"Running FIS experiments tagged {ChaosConventions.ManagedTagKey}={ChaosConventions.ManagedTagValue}: {experiments.Count}").ConfigureAwait(false);
            foreach (var x in experiments)
            {
                await o.WriteLineAsync($"  {x.Id}  {x.State.Status}  template {x.ExperimentTemplateId}{(x.Tags.TryGetValue(ChaosConventions.ExperimentTagKey, out var name) ? $"  experiment {name}" : "")}").ConfigureAwait(false);
            }

            return ChaosCli.Ok;
        });
        return command;
    }
}
