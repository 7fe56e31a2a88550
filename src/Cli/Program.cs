using System.Runtime.InteropServices;

// The `chaos` command: the local game day and the operator commands.
// SIGINT and SIGTERM (Ctrl-C, `kill`, a CI timeout) cancel the command instead of ending the process, so a game
// day rolls back, stops its Node child and writes its report before it exits with the code the README promises.
using var interrupted = new CancellationTokenSource();
void OnSignal(PosixSignalContext signal)
{
    signal.Cancel = true;
    if (!interrupted.IsCancellationRequested)
    {
        Console.Error.WriteLine($"chaos: {signal.Signal} received: stopping and rolling back...");
        interrupted.Cancel();
    }
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return await ServerlessChaos.Cli.Commands.ChaosCli.RunAsync(args, ServerlessChaos.Cli.Commands.CliContext.FromProcess(), interrupted.Token).ConfigureAwait(false);
