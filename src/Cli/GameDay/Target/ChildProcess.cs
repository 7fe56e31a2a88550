using System.Diagnostics;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>How the game day ends a process it started (your service's command, a task of the local ECS-style service).</summary>
internal static class ChildProcess
{
    /// <summary>Kills <paramref name="process"/> and its whole tree at once and waits (up to 10 s) until it is gone.</summary>
    public static async Task KillAsync(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(bound.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or it would not go in 10 s: nothing more to do from here.
        }
    }
}
