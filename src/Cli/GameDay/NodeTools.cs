using System.Diagnostics;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>The Node tools the local state machine runs on (aws-local-stepfunctions), installed on first use.</summary>
internal static class NodeTools
{
    /// <summary>Whether the repository's Node tools are installed.</summary>
    public static bool AreInstalled(string repositoryRoot) =>
        File.Exists(Path.Combine(repositoryRoot, "node_modules", ".package-lock.json"))
        && Directory.Exists(Path.Combine(repositoryRoot, "node_modules", "aws-local-stepfunctions"));

    /// <summary>Runs <c>npm ci</c> in the repository when the tools are missing, saying so first.</summary>
    public static async Task EnsureInstalledAsync(string repositoryRoot, TextWriter say, CancellationToken cancellationToken)
    {
        if (AreInstalled(repositoryRoot))
        {
            return;
        }

        await say.WriteLineAsync("First run: installing the Node tools the local state machine needs (npm ci from package-lock.json)...").ConfigureAwait(false);
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = repositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" })
        {
            npm.ArgumentList.Add(arg);
        }

        Process process;
        try
        {
            process = Process.Start(npm) ?? throw new CliException("could not start npm");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CliException($"the local game day needs Node.js 20 and npm on the PATH ({ex.Message})");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            try
            {
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Interrupted: npm and its children go too, and the half-written folder is not taken for an install.
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                throw new CliException("interrupted while installing the Node tools (npm ci); nothing was armed. The next run installs them again");
            }

            if (process.ExitCode != 0)
            {
                var tail = string.Join(Environment.NewLine, ((await errors.ConfigureAwait(false)) + (await output.ConfigureAwait(false))).Split('\n').TakeLast(10));
                throw new CliException($"npm ci failed with exit code {process.ExitCode} in {repositoryRoot}:{Environment.NewLine}{tail}");
            }
        }

        await say.WriteLineAsync("Node tools installed.").ConfigureAwait(false);
    }
}
