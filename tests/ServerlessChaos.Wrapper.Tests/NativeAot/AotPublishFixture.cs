using System.Text.RegularExpressions;
using ServerlessChaos.Wrapper.Tests.Package;

namespace ServerlessChaos.Wrapper.Tests.NativeAot;

/// <summary>
/// Publishes tests/AotFunction as Native AOT (net8.0, linux-x64) once per test run, into a temporary folder (its build
/// output and intermediate files included, so the repository's own bin/obj are untouched). A publish takes minutes.
/// The wrapper comes from this run's packed feed (<see cref="PackedFeed"/>, -p:WrapperPackageFeed), as a user's AOT
/// function gets it: the compiler's input is the package's runtimes/linux-x64 asset, the ReadyToRun copy.
/// </summary>
public sealed partial class AotPublishFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(25);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "serverless-chaos-aot-" + Guid.NewGuid().ToString("N"));

    /// <summary>The published executable.</summary>
    public string Bootstrap => Path.Combine(_root, "out", "bootstrap");

    /// <summary>Everything `dotnet publish` printed.</summary>
    public string PublishOutput { get; private set; } = "";

    public int PublishExitCode { get; private set; } = -1;

    /// <summary>The publish's own packages folder: this run's packages are restored into it, nothing else.</summary>
    public string PackagesFolder => Path.Combine(_root, "packages");

    /// <summary>The version of this run's packages.</summary>
    public string PackageVersion { get; private set; } = "";

    /// <summary>The assemblies the Native AOT compiler was given as references (its response file's -r: lines).</summary>
    public IReadOnlyList<string> CompilerReferences { get; private set; } = [];

    [GeneratedRegex(@"\b(IL[23]\d{3})\b")]
    public static partial Regex TrimOrAotWarning();

    public async Task InitializeAsync()
    {
        var packed = await PackedFeed.Shared;
        PackageVersion = packed.Version;
        var repository = PackedFeed.RepositoryRoot;
        var project = Path.Combine(repository, "tests", "AotFunction", "ServerlessChaos.AotFunction.csproj");
        var artifacts = Path.Combine(_root, "artifacts");
        var (exit, output) = await DotnetCli.RunAsync(
            repository,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = PackagesFolder },
            PublishTimeout,
            DotnetCli.Executable,
            "publish", project, "-c", "Release", "-r", "linux-x64",
            "-p:WrapperPackageFeed=" + packed.Feed, "-p:Version=" + packed.Version,
            // Everything else (the ILCompiler, the runtime pack) from the machine's packages, read in place (PackedFeed).
            "-p:RestoreFallbackFolders=" + await GlobalPackagesFolder(repository),
            "-o", Path.Combine(_root, "out"), "--artifacts-path", artifacts, "-nologo");
        PublishExitCode = exit;
        PublishOutput = output;
        var responseFile = Directory.Exists(artifacts) ? Directory.GetFiles(artifacts, "*.ilc.rsp", SearchOption.AllDirectories) : [];
        if (responseFile.Length == 1)
        {
            CompilerReferences = (await File.ReadAllLinesAsync(responseFile[0]))
                .Where(l => l.StartsWith("-r:", StringComparison.Ordinal)).Select(l => l[3..]).ToList();
        }
    }

    private static async Task<string> GlobalPackagesFolder(string repository)
    {
        var (exit, output) = await DotnetCli.RunAsync(
            repository, new Dictionary<string, string?>(), TimeSpan.FromMinutes(1), DotnetCli.Executable, "nuget", "locals", "global-packages", "--list");
        const string Prefix = "global-packages: ";
        var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(Prefix, StringComparison.Ordinal));
        return exit == 0 && line is not null ? line[Prefix.Length..] : throw new InvalidOperationException("dotnet nuget locals failed:\n" + output);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }
}
