using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace ServerlessChaos.Wrapper.Tests.Package;

/// <summary>
/// Packs the wrapper and the one package it depends on into a temporary feed, once per test run, as
/// <c>dotnet pack ServerlessChaos.sln</c> does. An optimized build under its own configuration name, so neither the test
/// run's Debug build nor another test's Release publish shares its bin and obj folders.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    // The projects a decorated function's package closure is made of.
    private static readonly string[] Projects = ["src/Aws/Signing/ServerlessChaos.Aws.Signing.csproj", "src/Wrapper/ServerlessChaos.Wrapper.csproj"];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "serverless-chaos-install-" + Guid.NewGuid().ToString("N")[..12]);

    public string Feed => Path.Combine(Root, "feed");

    /// <summary>A package folder of this run only, so a package cached by an earlier run is never used.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    public static string RepositoryRoot =>
        typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (var project in Projects)
        {
            var (exit, output) = await DotnetCli.RunAsync(
                RepositoryRoot, new Dictionary<string, string?>(), TimeSpan.FromMinutes(8),
                DotnetCli.Executable, "pack", project, "-c", "InstallTest", "-p:Optimize=true", "-o", Feed, "-nologo", "-v", "q");
            if (exit != 0)
            {
                throw new InvalidOperationException($"dotnet pack {project} failed ({exit}):\n{output}");
            }
        }
    }

    /// <summary>The dependencies the nuspec of <paramref name="packageId"/> declares, per target framework.</summary>
    public IReadOnlyDictionary<string, string[]> Dependencies(string packageId)
    {
        using var zip = ZipFile.OpenRead(PackagePath(packageId));
        using var nuspec = zip.GetEntry(packageId + ".nuspec")!.Open();
        var document = XDocument.Load(nuspec);
        return document.Descendants().Where(e => e.Name.LocalName == "group").ToDictionary(
            g => g.Attribute("targetFramework")!.Value,
            g => g.Elements().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Order().ToArray());
    }

    /// <summary>Every file in the package of <paramref name="packageId"/>, by its path inside the package.</summary>
    public IReadOnlyDictionary<string, byte[]> Files(string packageId)
    {
        using var zip = ZipFile.OpenRead(PackagePath(packageId));
        return zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private string PackagePath(string packageId) =>
        Directory.GetFiles(Feed, packageId + ".*.nupkg").Single(p => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(p), $@"^{System.Text.RegularExpressions.Regex.Escape(packageId)}\.\d"));

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temp folder is cleaned by the OS.
        }

        return Task.CompletedTask;
    }
}
