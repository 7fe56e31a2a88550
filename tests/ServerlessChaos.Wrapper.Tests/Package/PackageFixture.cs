using System.IO.Compression;
using System.Xml.Linq;

namespace ServerlessChaos.Wrapper.Tests.Package;

/// <summary>
/// A fresh project's side of the packed feed (<see cref="PackedFeed"/>, the one pack of the test run): a folder of its
/// own for the projects it makes and the packages they restore.
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    private PackedFeed? _packed;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "serverless-chaos-install-" + Guid.NewGuid().ToString("N")[..12]);

    private PackedFeed Packed => _packed ?? throw new InvalidOperationException("the feed is not packed yet");

    public string Feed => Packed.Feed;

    /// <summary>The version of this run's packages.</summary>
    public string Version => Packed.Version;

    /// <summary>A package folder of this run only, so a package cached by an earlier run is never used.</summary>
    public string PackagesFolder => Path.Combine(Root, "packages");

    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = PackagesFolder,
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        ["DOTNET_NOLOGO"] = "1",
        ["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1",
    };

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        _packed = await PackedFeed.Shared;
    }

    /// <summary>The dependencies the nuspec of <paramref name="packageId"/> declares, per target framework.</summary>
    public IReadOnlyDictionary<string, string[]> Dependencies(string packageId)
    {
        using var zip = ZipFile.OpenRead(Packed.PackagePath(packageId));
        using var nuspec = zip.GetEntry(packageId + ".nuspec")!.Open();
        var document = XDocument.Load(nuspec);
        return document.Descendants().Where(e => e.Name.LocalName == "group").ToDictionary(
            g => g.Attribute("targetFramework")!.Value,
            g => g.Elements().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).Order().ToArray());
    }

    /// <summary>Every file in the package of <paramref name="packageId"/>, by its path inside the package.</summary>
    public IReadOnlyDictionary<string, byte[]> Files(string packageId)
    {
        using var zip = ZipFile.OpenRead(Packed.PackagePath(packageId));
        return zip.Entries.Where(e => !e.FullName.EndsWith('/')).ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

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
