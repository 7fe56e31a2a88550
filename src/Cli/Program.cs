// The `chaos` command: the local game day and the operator commands.
using var signal = new ServerlessChaos.Cli.Commands.TerminationSignal();
var result = await ServerlessChaos.Cli.Commands.ChaosCli.RunAsync(args, ServerlessChaos.Cli.Commands.CliContext.FromProcess(), signal.Token).ConfigureAwait(false);
return signal.ExitCodeFor(result);
