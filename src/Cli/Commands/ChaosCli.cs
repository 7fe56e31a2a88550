using System.CommandLine;
using ServerlessChaos.Aws;
using ServerlessChaos.Cli.Operator;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Experiments;
using ServerlessChaos.Orchestrator.Operations;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Cli.Commands;

/// <summary>The <c>chaos</c> command line: the root command, its subcommands, and how errors become exit codes.</summary>
internal static class ChaosCli
{
    /// <summary>Exit code for success (and a game day whose hypothesis held).</summary>
    public const int Ok = 0;

    /// <summary>Exit code for a game day or experiment that deviated from its hypothesis.</summary>
    public const int Deviated = 1;

    /// <summary>Exit code for an aborted run, a bad argument or any other error.</summary>
    public const int Error = 2;

    /// <summary>Exit code when Ctrl-C (SIGINT) stopped the command (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>Exit code when SIGTERM stopped the command (128 + SIGTERM).</summary>
    public const int Terminated = 143;

    /// <summary>Parses <paramref name="args"/> and runs the command.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = Build(context);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // System.CommandLine would exit 1, which here means "deviated": argument errors are 2.
            foreach (var error in parsed.Errors)
            {
                await context.Error.WriteLineAsync($"chaos: {error.Message}").ConfigureAwait(false);
            }

            var command = string.Join(' ', parsed.CommandResult.Command.Name == root.Name ? ["chaos"] : new[] { "chaos", parsed.CommandResult.Command.Name });
            await context.Error.WriteLineAsync($"Run '{command} --help' for usage.").ConfigureAwait(false);
            return Error;
        }

        try
        {
            // Signals arrive through cancellationToken (see TerminationSignal), not through System.CommandLine's own handler.
            var configuration = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (CliInterruptedException ex)
        {
            await context.Error.WriteLineAsync($"chaos: {ex.Message}").ConfigureAwait(false);
            return Interrupted;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync("chaos: interrupted; what was done before stays done (run 'chaos status' to see what is armed)").ConfigureAwait(false);
            return Interrupted;
        }
        catch (OperationCanceledException)
        {
            // Not our cancellation: an HTTP client gave up waiting.
            await context.Error.WriteLineAsync("chaos: a request timed out before the command finished; run it again (what was done before stays done)").ConfigureAwait(false);
            return Error;
        }
        catch (Exception ex) when (ex is CliException or ExperimentValidationException or FormatException or ArgumentException)
        {
            // Our own messages may list several problems, one per line; each line is still cleaned (it can quote a file).
            var lines = ex.Message.Split('\n');
            await context.Error.WriteLineAsync($"chaos: {ServerText.Clean(lines[0])}").ConfigureAwait(false);
            foreach (var line in lines.Skip(1))
            {
                await context.Error.WriteLineAsync(ServerText.Clean(line.TrimEnd('\r'))).ConfigureAwait(false);
            }

            return Error;
        }
        catch (Exception ex) when (ex is OperatorRefusedException or AwsServiceException or BackendException or ControlFunctionException
            or IOException or HttpRequestException or InvalidOperationException)
        {
            // These quote servers: one cleaned line, so a reply cannot fake a line of output.
            await context.Error.WriteLineAsync($"chaos: {ServerText.Clean(ex.Message)}").ConfigureAwait(false);
            return Error;
        }
    }

    /// <summary>The root command with every subcommand.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("ServerlessChaos: run a local game day, or arm, watch and halt chaos experiments in an AWS account.")
        {
            GameDayCommand.Create(context),
            ArmCommands.CreateArm(context),
            ArmCommands.CreateDisarm(context),
            StatusCommand.Create(context),
            StartCommand.Create(context),
            HaltCommands.CreateHalt(context),
            HaltCommands.CreateUnhalt(context),
            SampleApiCommand.Create(context),
        };
        return root;
    }
}
