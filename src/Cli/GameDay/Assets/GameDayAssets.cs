using System.Diagnostics;
using System.Security.Cryptography;
using ServerlessChaos.Orchestrator.Local;

namespace ServerlessChaos.Cli.GameDay.Assets;

/// <summary>
/// What a local game day runs on besides the CLI itself: the state machine definition, the Node runner script, the
/// default plan and its experiments, and the Node tools (aws-local-stepfunctions). Found in the repository when the CLI runs from
/// a clone (its files and its <c>node_modules</c>, as they are), otherwise in the copies packaged with the installed
/// tool, with the Node tools installed once per user into a cache folder.
/// </summary>
internal sealed class GameDayAssets
{
    /// <summary>Environment variable: the cache folder for the installed tool's Node tools (default <c>$XDG_CACHE_HOME/serverless-chaos</c>, or <c>~/.cache/serverless-chaos</c>).</summary>
    public const string CacheVariable = "SERVERLESS_CHAOS_CACHE";

    /// <summary>The folder next to the tool's assembly that holds the packaged assets.</summary>
    public const string PackagedFolder = "gameday";

    /// <summary>The file that marks a repository root (with package.json).</summary>
    public const string RepositoryMarker = "infra/statemachine/experiment.asl.json";

    /// <summary>The default plan, relative to the repository root (and to the packaged folder): what <c>chaos gameday</c> with no arguments runs.</summary>
    public const string DefaultPlanPath = "events/gamedays/default.json";

    private const string RunnerScript = "run-state-machine.mjs";
    private const string Polyfill = "promise-with-resolvers.mjs";

    private readonly string scriptSource;
    private readonly string nodePackageSource;
    private readonly string nodeToolsFolder;

    private GameDayAssets(string? repositoryRoot, string definition, string defaultPlan, string scriptSource, string nodePackageSource, string nodeToolsFolder)
    {
        RepositoryRoot = repositoryRoot;
        StateMachineDefinition = definition;
        DefaultPlan = defaultPlan;
        this.scriptSource = scriptSource;
        this.nodePackageSource = nodePackageSource;
        this.nodeToolsFolder = nodeToolsFolder;
    }

    /// <summary>The repository the assets come from, or null for the ones packaged with the tool.</summary>
    public string? RepositoryRoot { get; }

    /// <summary>The state machine definition (ASL).</summary>
    public string StateMachineDefinition { get; }

    /// <summary>The plan <c>chaos gameday</c> runs when no experiment or plan is given (its experiments beside it, as in the repository).</summary>
    public string DefaultPlan { get; }

    /// <summary>Where the Node tools are (or go): the repository root, or this tool version's cache folder.</summary>
    public string NodeToolsFolder => nodeToolsFolder;

    /// <summary>The assets of the repository at <paramref name="root"/>.</summary>
    public static GameDayAssets FromRepository(string root) => new(
        root,
        Path.Combine(root, RepositoryMarker),
        Path.Combine(root, DefaultPlanPath),
        Path.Combine(root, "src", "Orchestrator.Local", "node"),
        root,
        root);

    /// <summary>The assets packaged in <paramref name="toolDirectory"/>, with the Node tools under <paramref name="cacheRoot"/>.</summary>
    public static GameDayAssets FromPackage(string toolDirectory, string cacheRoot)
    {
        var packaged = Path.Combine(toolDirectory, PackagedFolder);
        var node = Path.Combine(packaged, "node");
        var lockFile = Path.Combine(node, "package-lock.json");
        if (!File.Exists(lockFile))
        {
            throw new CliException($"the game-day files packaged with the tool are missing ({lockFile}); reinstall the tool, or run from a ServerlessChaos repository");
        }

        // One folder per lock file: a new tool version with other Node tools never reuses an old install.
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(lockFile)))[..16];
        return new(
            null,
            Path.Combine(packaged, "statemachine", "experiment.asl.json"),
            Path.Combine(packaged, DefaultPlanPath),
            node,
            node,
            Path.Combine(cacheRoot, "node-tools", hash));
    }

    /// <summary>
    /// The assets for a run: the repository given with <c>--repository</c>; else the repository at or above the
    /// current folder or the tool's own folder (a clone's <c>dotnet run</c>); else the packaged ones (the installed tool).
    /// </summary>
    public static GameDayAssets Locate(string? repository, string currentDirectory, string toolDirectory, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (repository is not null)
        {
            return IsRepository(repository)
                ? FromRepository(repository)
                : throw new CliException($"--repository {repository} is not a ServerlessChaos repository (no {RepositoryMarker} and package.json there)");
        }

        foreach (var start in new[] { currentDirectory, toolDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (IsRepository(dir.FullName))
                {
                    return FromRepository(dir.FullName);
                }
            }
        }

        return FromPackage(toolDirectory, CacheRoot(environment));
    }

    /// <summary>The per-user cache folder: <c>$SERVERLESS_CHAOS_CACHE</c>, else <c>$XDG_CACHE_HOME/serverless-chaos</c>, else <c>~/.cache/serverless-chaos</c>.</summary>
    public static string CacheRoot(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (environment(CacheVariable) is { Length: > 0 } given)
        {
            return Path.GetFullPath(given);
        }

        if (environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
        {
            return Path.Combine(xdg, "serverless-chaos");
        }

        var home = OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(home, "serverless-chaos");
    }

    private static bool IsRepository(string dir) =>
        File.Exists(Path.Combine(dir, RepositoryMarker)) && File.Exists(Path.Combine(dir, "package.json"));

    /// <summary>Whether the Node tools are installed where this run looks for them.</summary>
    public bool NodeToolsInstalled =>
        File.Exists(Path.Combine(nodeToolsFolder, "node_modules", ".package-lock.json"))
        && Directory.Exists(Path.Combine(nodeToolsFolder, "node_modules", "aws-local-stepfunctions"));

    /// <summary>Installs the Node tools when they are missing (<c>npm ci</c> from the lock file, saying so first).</summary>
    public async Task EnsureNodeToolsAsync(TextWriter say, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(say);
        if (!NodeToolsInstalled)
        {
            await InstallNodeToolsAsync(say, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How the local state machine runner starts on these assets (after <see cref="EnsureNodeToolsAsync"/>).</summary>
    public LocalStateMachineRunnerOptions RunnerOptions()
    {
        if (RepositoryRoot is not null)
        {
            return new LocalStateMachineRunnerOptions { RepositoryRoot = RepositoryRoot, DefinitionFile = StateMachineDefinition };
        }

        // Node resolves aws-local-stepfunctions from the script's own folder, so the scripts run from the cache folder.
        foreach (var name in new[] { RunnerScript, Polyfill })
        {
            var target = Path.Combine(nodeToolsFolder, name);
            if (!File.Exists(target) || !File.ReadAllBytes(target).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(scriptSource, name))))
            {
                var temporary = target + "." + Guid.NewGuid().ToString("N")[..8];
                File.Copy(Path.Combine(scriptSource, name), temporary);
                File.Move(temporary, target, overwrite: true);
            }
        }

        return new LocalStateMachineRunnerOptions { DefinitionFile = StateMachineDefinition, ScriptFolder = nodeToolsFolder };
    }

    private async Task InstallNodeToolsAsync(TextWriter say, CancellationToken cancellationToken)
    {
        var packaged = RepositoryRoot is null;
        // The installed tool installs into a folder of its own and renames it into place, so two first runs never share a half-made install.
        var installFolder = packaged ? nodeToolsFolder + ".installing-" + Guid.NewGuid().ToString("N")[..8] : nodeToolsFolder;
        await say.WriteLineAsync(packaged
            ? $"First run of this tool version: installing the Node tools the local state machine needs (npm ci) into {nodeToolsFolder} (once per user; set {CacheVariable} to choose the folder)..."
            : "First run: installing the Node tools the local state machine needs (npm ci from package-lock.json)...").ConfigureAwait(false);
        if (packaged)
        {
            Directory.CreateDirectory(installFolder);
            File.Copy(Path.Combine(nodePackageSource, "package.json"), Path.Combine(installFolder, "package.json"));
            File.Copy(Path.Combine(nodePackageSource, "package-lock.json"), Path.Combine(installFolder, "package-lock.json"));
        }

        try
        {
            await RunNpmCiAsync(installFolder, cancellationToken).ConfigureAwait(false);
            if (packaged)
            {
                try
                {
                    Directory.Move(installFolder, nodeToolsFolder);
                }
                catch (IOException) when (Directory.Exists(nodeToolsFolder))
                {
                    // Another first run got there first: its install is as good as ours.
                    Directory.Delete(installFolder, recursive: true);
                }
            }
        }
        catch when (packaged)
        {
            TryDelete(installFolder);
            throw;
        }

        await say.WriteLineAsync("Node tools installed.").ConfigureAwait(false);
    }

    private static async Task RunNpmCiAsync(string folder, CancellationToken cancellationToken)
    {
        var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "npm.cmd" : "npm")
        {
            WorkingDirectory = folder,
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
            throw new CliException($"the local game day needs Node.js 20 and npm on the PATH to install its state machine runner (npm: {ex.Message})");
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
                throw new CliInterruptedException("interrupted while installing the Node tools (npm ci); nothing was armed. The next run installs them again");
            }

            if (process.ExitCode != 0)
            {
                var tail = string.Join(Environment.NewLine, ((await errors.ConfigureAwait(false)) + (await output.ConfigureAwait(false))).Split('\n').TakeLast(10));
                throw new CliException($"npm ci failed with exit code {process.ExitCode} in {folder}:{Environment.NewLine}{tail}");
            }
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover half-install is ignored by the next run (it installs into a new folder).
        }
    }
}
