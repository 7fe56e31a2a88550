using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Cli.Operator;
using ServerlessChaos.Wrapper.Settings;

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
        var stateMachine = OperatorSettings.StateMachineOption(context);
        var command = new Command("halt", "Stop all chaos now: set the halt parameter (every wrapper stops injecting), stop running executions and the project's running FIS experiments, and disarm every parameter under the prefix. Safe to run again.")
        {
            reason, prefix, halt, stateMachine,
        };
        command.SetAction(async (parse, ct) =>
        {
            var o = context.Out;
            var now = context.Clock.GetUtcNow();
            var options = context.AwsOptions();
            var ssm = new SsmClient(options);
            var why = parse.GetValue(reason) ?? "chaos halt";
            var haltName = parse.GetRequiredValue(halt);
            var problems = new List<string>();

            // 1. The halt switch first: the wrappers and the state machine's observe loop read it.
            var existing = await ParameterReader.HaltValueAsync(ssm, haltName, ct).ConfigureAwait(false);
            if (HaltValue.IsHalted(existing))
            {
                await o.WriteLineAsync($"Halt parameter {haltName} was already set; left as it is").ConfigureAwait(false);
            }
            else
            {
                var value = new JsonObject
                {
                    ["halted"] = true,
                    ["at"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    ["by"] = "chaos halt",
                    ["reason"] = why,
                };
                await ssm.PutParameterAsync(new SsmPutParameterRequest { Name = haltName, Value = value.ToJsonString(), Overwrite = true, Description = "ServerlessChaos halt switch" }, ct).ConfigureAwait(false);
                await o.WriteLineAsync($"Set halt parameter {haltName}").ConfigureAwait(false);
            }

            // 2. Running executions of the experiment state machine.
            if (parse.GetValue(stateMachine) is { } arn)
            {
                var sfn = new StepFunctionsClient(options);
                List<StepFunctionsExecution> running = [];
                await foreach (var e in sfn.ListExecutionsAsync(arn, StepFunctionsExecutionStatus.Running, cancellationToken: ct).ConfigureAwait(false))
                {
                    running.Add(e);
                }

                foreach (var e in running)
                {
                    try
                    {
                        await sfn.StopExecutionAsync(e.ExecutionArn, "ServerlessChaos.Halted", why, ct).ConfigureAwait(false);
                        await o.WriteLineAsync($"Stopped execution {e.Name} ({e.ExecutionArn})").ConfigureAwait(false);
                    }
                    catch (ServerlessChaos.Aws.AwsServiceException ex)
                    {
                        problems.Add($"could not stop execution {e.ExecutionArn}: {ex.Message}");
                    }
                }

                if (running.Count == 0)
                {
                    await o.WriteLineAsync($"No running executions of {arn}").ConfigureAwait(false);
                }
            }
            else
            {
                await o.WriteLineAsync("Executions: not stopped (give --state-machine or set SERVERLESS_CHAOS_STATE_MACHINE_ARN); running ones abort at their next observation because of the halt parameter").ConfigureAwait(false);
            }

            // 3. The project's FIS experiments.
            var fis = new FisClient(options);
            var experiments = await ManagedFisExperiments.RunningAsync(fis, ct).ConfigureAwait(false);
            foreach (var x in experiments)
            {
                try
                {
                    await fis.StopExperimentAsync(x.Id, ct).ConfigureAwait(false);
                    await o.WriteLineAsync($"Stopped FIS experiment {x.Id} (template {x.ExperimentTemplateId})").ConfigureAwait(false);
                }
                catch (ServerlessChaos.Aws.AwsServiceException ex)
                {
                    problems.Add($"could not stop FIS experiment {x.Id}: {ex.Message}");
                }
            }

            if (experiments.Count == 0)
            {
                await o.WriteLineAsync($"No running FIS experiments tagged {ChaosConventions.ManagedTagKey}={ChaosConventions.ManagedTagValue}").ConfigureAwait(false);
            }

            // 4. Every armed parameter back to the disarmed baseline.
            var pathPrefix = parse.GetRequiredValue(prefix);
            var armed = (await ParameterReader.ListAsync(ssm, pathPrefix, ct).ConfigureAwait(false)).Where(p => p.IsArmedAt(now)).ToList();
            foreach (var p in armed)
            {
                await ssm.PutParameterAsync(new SsmPutParameterRequest { Name = p.Name, Value = ChaosConventions.DisarmedDocument, Overwrite = true }, ct).ConfigureAwait(false);
                await o.WriteLineAsync($"Disarmed {p.Name}").ConfigureAwait(false);
            }

            if (armed.Count == 0)
            {
                await o.WriteLineAsync($"No armed parameters under {pathPrefix}").ConfigureAwait(false);
            }

            foreach (var problem in problems)
            {
                await context.Error.WriteLineAsync($"chaos: {problem}").ConfigureAwait(false);
            }

            await o.WriteLineAsync(problems.Count == 0 ? "Halted. Run 'chaos unhalt' to allow chaos again." : "Halted, with the problems above; run 'chaos halt' again to retry them.").ConfigureAwait(false);
            return problems.Count == 0 ? ChaosCli.Ok : ChaosCli.Error;
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
            var haltName = parse.GetRequiredValue(halt);
            await new SsmClient(context.AwsOptions()).PutParameterAsync(new SsmPutParameterRequest { Name = haltName, Value = "false", Overwrite = true, Description = "ServerlessChaos halt switch" }, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Unhalted: {haltName} = false. Nothing was re-armed.").ConfigureAwait(false);
            return ChaosCli.Ok;
        });
        return command;
    }
}
