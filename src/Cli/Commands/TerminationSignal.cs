using System.Runtime.InteropServices;

namespace ServerlessChaos.Cli.Commands;

/// <summary>
/// Ctrl-C (SIGINT) and SIGTERM as a cancellation of the running command, which then ends with one line and
/// <see cref="ChaosCli.Interrupted"/>, reported to the shell as <see cref="ExitCode"/> (128 + the signal's number, as a
/// process killed by it would report); a second signal ends the process at once, as it would without us.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration interrupt;
    private readonly PosixSignalRegistration terminate;
    private int exitCode = ChaosCli.Interrupted;

    /// <summary>Starts listening for the signals.</summary>
    public TerminationSignal()
    {
        interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The exit code an interrupted command ends with: 130 after SIGINT, 143 after SIGTERM.</summary>
    public int ExitCode => Volatile.Read(ref exitCode);

    /// <summary>The process's exit code for a command's <paramref name="result"/>: <see cref="ChaosCli.Interrupted"/> becomes the signal's own code.</summary>
    public int ExitCodeFor(int result) => result == ChaosCli.Interrupted && source.IsCancellationRequested ? ExitCode : result;

    /// <inheritdoc />
    public void Dispose()
    {
        interrupt.Dispose();
        terminate.Dispose();
        source.Dispose();
    }

    private void Handle(PosixSignalContext context)
    {
        if (source.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        Volatile.Write(ref exitCode, context.Signal == PosixSignal.SIGTERM ? ChaosCli.Terminated : ChaosCli.Interrupted);
        source.Cancel();
    }
}
