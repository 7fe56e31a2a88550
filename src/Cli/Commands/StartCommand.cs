using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Cli.GameDay;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.Operator;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.Commands;

/// <summary><c>chaos start</c>: validate an experiment, start an execution of the deployed state machine, follow it to the verdict.</summary>
internal static class StartCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("experiment.json") { Description = "The experiment file (the same document the Step Functions console takes)." };
        var stateMachine = OperatorSettings.StateMachineOption(context);
        var follow = new Option<bool>("--no-follow") { Description = "Start and print the execution ARN without waiting for the verdict." };
        var poll = new Option<string>("--poll-interval") { Description = "How often to check the execution while following it.", DefaultValueFactory = _ => "5s" };
        var command = new Command("start", "Start an experiment on the deployed state machine and follow it to the verdict. Exit code 0 held, 1 deviated, 2 aborted, failed or error.")
        {
            file, stateMachine, follow, poll,
        };
        command.SetAction(async (parse, ct) =>
        {
            var path = context.FullPath(parse.GetRequiredValue(file));
            if (!File.Exists(path))
            {
                throw new CliException($"experiment file {path} does not exist");
            }

            var text = await File.ReadAllTextAsync(path, ct).ConfigureAwait(false);
            var experiment = ExperimentParser.ParseFile(text, path);
            var arn = parse.GetValue(stateMachine)
                ?? throw new CliException("which state machine? give --state-machine <ARN> or set SERVERLESS_CHAOS_STATE_MACHINE_ARN (the StateMachineArn output of the control-plane stack)");
            var interval = DurationText.Parse(parse.GetValue(poll) ?? "5s", "--poll-interval");
            var sfn = new StepFunctionsClient(context.AwsOptions());
            var name = $"{experiment.Name}-{context.Clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
            if (name.Length > 80)
            {
                name = name[^80..];
            }

            var started = await sfn.StartExecutionAsync(arn, name, text, ct).ConfigureAwait(false);
            await context.Out.WriteLineAsync($"Started {experiment.Name} as execution {name}: {started.ExecutionArn}").ConfigureAwait(false);
            if (parse.GetValue(follow))
            {
                return ChaosCli.Ok;
            }

            var start = context.Clock.GetUtcNow();
            StepFunctionsExecution execution;
            while (true)
            {
                execution = await sfn.DescribeExecutionAsync(started.ExecutionArn, ct).ConfigureAwait(false);
                if (execution.Status != StepFunctionsExecutionStatus.Running)
                {
                    break;
                }

                await Task.Delay(interval, context.Clock, ct).ConfigureAwait(false);
            }

            var elapsed = (context.Clock.GetUtcNow() - start).TotalSeconds;
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Execution {execution.Status} after {elapsed:0} s")).ConfigureAwait(false);
            JsonNode? output = null;
            if (execution.Output is { } json)
            {
                try
                {
                    output = JsonNode.Parse(json);
                }
                catch (JsonException)
                {
                    output = null;
                }
            }

            var (verdict, reason) = GameDayRunner.Judge(new ExecutionOutcome(execution.Status, output, execution.Error, execution.Cause));
            await context.Out.WriteLineAsync($"Verdict: {verdict.Name()} (exit code {verdict.ExitCode()}) — {reason}").ConfigureAwait(false);
            return verdict.ExitCode();
        });
        return command;
    }
}
