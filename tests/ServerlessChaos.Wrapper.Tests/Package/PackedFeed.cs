using System.Reflection;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Wrapper.Tests.Package;

/// <summary>
/// The wrapper and the one package it depends on, packed into a temporary feed once per test run, as
/// <c>dotnet pack ServerlessChaos.sln</c> does. Both consumers of the packages await this one pack:
/// <see cref="PackageFixture"/> (a fresh project's install) and <see cref="NativeAot.AotPublishFixture"/> (the Native AOT
/// publish, from the package as a user's AOT function gets it). The two fixtures' test classes stay in their own
/// collections, so they still run side by side; whichever asks first starts the pack, the other awaits the same task.
/// </summary>
/// <remarks>
/// <para>
/// Every run packs its own version, the repository's with a prerelease suffix unique to the run (1.0.0-run1a2b…). A
/// consumer restores into a packages folder of its own, but the AOT publish has the machine's global packages folder
/// as a fallback folder (the ILCompiler and the runtime pack, a few hundred MB, are not downloaded again each run); a
/// package of the repository's plain version cached there earlier (a benchmark published from a feed by hand puts one
/// there) would be found first and used instead of this run's. A version no earlier run made cannot be found anywhere
/// but in this feed, and the per-run packages land only in the consumers' own folders, never in the global one.
/// </para>
/// <para>
/// Built under an artifacts path of the run's own, so the repository's bin and obj (its Debug build, its
/// project.assets.json, which a different version would otherwise rewrite) are untouched.
/// </para>
/// </remarks>
public sealed class PackedFeed
{
    // The projects a decorated function's package closure is made of.
    private static readonly string[] Projects = ["src/Aws/Signing/ServerlessChaos.Aws.Signing.csproj", "src/Wrapper/ServerlessChaos.Wrapper.csproj"];

    private static readonly Lazy<Task<PackedFeed>> Pack = new(PackAsync);

    private PackedFeed(string root, string version)
    {
        Root = root;
        Version = version;
    }

    /// <summary>The one pack of this test run, started by the first caller.</summary>
    public static Task<PackedFeed> Shared => Pack.Value;

    public static string RepositoryRoot =>
        typeof(PackedFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public string Root { get; }

    /// <summary>The folder holding the .nupkg files, to be given as a package source.</summary>
    public string Feed => Path.Combine(Root, "feed");

    /// <summary>The version both packages were packed with (this run's alone).</summary>
    public string Version { get; }

    /// <summary>The .nupkg of <paramref name="packageId"/>.</summary>
    public string PackagePath(string packageId) => Path.Combine(Feed, $"{packageId}.{Version}.nupkg");

    private static async Task<PackedFeed> PackAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "serverless-chaos-feed-" + Guid.NewGuid().ToString("N")[..12]);
        // The feed (two small files) is deleted when the test process ends: the fixtures that use it end at different
        // times. The build's artifacts, the bulk, as soon as the packages are made, in case the host is ended quickly.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(root);
        var suffix = "run" + Guid.NewGuid().ToString("N")[..12];
        var feed = Path.Combine(root, "feed");
        var artifacts = Path.Combine(root, "artifacts");
        Directory.CreateDirectory(feed);
        foreach (var project in Projects)
        {
            var (exit, output) = await DotnetCli.RunAsync(
                RepositoryRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(8),
                DotnetCli.Executable, "pack", project, "-c", "Release", "-p:VersionSuffix=" + suffix,
                "--artifacts-path", artifacts, "-o", feed, "-nologo", "-v", "q");
            if (exit != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed ({exit}):\n{output}");
            }
        }

        Delete(artifacts);

        // The version as the SDK made it (the repository's VersionPrefix and the suffix), from the package's file name.
        var wrapper = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "ServerlessChaos.Wrapper.*.nupkg").Single());
        var version = Regex.Match(wrapper, @"^ServerlessChaos\.Wrapper\.(\d.*-" + suffix + ")$").Groups[1].Value;
        if (version.Length == 0)
        {
            throw new InvalidOperationException($"the packed wrapper {wrapper} does not carry the run's version suffix {suffix}");
        }

        return new PackedFeed(root, version);
    }

    private static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
