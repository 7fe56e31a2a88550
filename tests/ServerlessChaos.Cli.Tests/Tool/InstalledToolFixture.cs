using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Tool;

/// <summary>
/// Packs the CLI once (<c>dotnet pack src/Cli</c>, from this test run's own build) into a temporary feed and installs
/// it with <c>dotnet tool install --tool-path</c>, as a user would, into a folder outside the repository.
/// </summary>
public sealed class InstalledToolFixture : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "serverless-chaos-tool-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    public string ToolPath => Path.Combine(Root, "tools");

    /// <summary>The installed <c>chaos</c> command.</summary>
    public string Chaos => Path.Combine(ToolPath, OperatingSystem.IsWindows() ? "chaos.exe" : "chaos");

    /// <summary>The packed tool.</summary>
    public string Package => Directory.GetFiles(Feed, "ServerlessChaos.Cli.*.nupkg").Single();

    /// <summary>What every child process gets: no ambient AWS settings, no telemetry, a package folder of this run only.</summary>
    public Dictionary<string, string?> Environment(string cache) => new()
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
        ["AWS_PROFILE"] = null,
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_ENDPOINT_URL_SSM"] = null,
        ["AWS_CONFIG_FILE"] = Path.Combine(Root, "no-aws-config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(Root, "no-aws-credentials"),
        ["SERVERLESS_CHAOS_CACHE"] = cache,
        ["CI"] = "true",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        // The configuration this test assembly was built in (bin/<configuration>/<tfm>/): its build of src/Cli is packed as is.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var environment = Environment(Path.Combine(Root, "unused-cache"));
        var (exit, output) = await DotnetCli.RunAsync(
            TestPaths.RepositoryRoot, environment, TimeSpan.FromMinutes(4),
            DotnetCli.Executable, "pack", "src/Cli", "--no-build", "-c", configuration, "-o", Feed, "-nologo", "-v", "q");
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet pack src/Cli failed ({exit}):\n{output}");
        }

        // --add-source adds the feed to the sources the user already has; the tool package needs nothing else.
        (exit, output) = await DotnetCli.RunAsync(
            Root, environment, TimeSpan.FromMinutes(4),
            DotnetCli.Executable, "tool", "install", "--tool-path", ToolPath, "--add-source", Feed, "ServerlessChaos.Cli");
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet tool install failed ({exit}):\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A process may still hold a file; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }
}
