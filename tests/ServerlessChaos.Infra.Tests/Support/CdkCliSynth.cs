using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Infra.Tests.Support;

/// <summary>
/// The app synthesized by the CDK CLI from package.json, offline, once per test run for each variant: the default app
/// (cdk.json as it is, with the placeholder bootstrap) and the all-actions app (infra/examples/all-fis-actions.json,
/// with a published bootstrap folder, so its templates are the ones a deploy would create).
/// </summary>
public sealed class CdkCliSynth : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cdk-cli-synth-").FullName;

    public CdkCliSynth()
    {
        // --build "": skip cdk.json's publish step (a deploy runs it).
        Default = Synthesize("default", ["-c", "serverlessChaos:bootstrap=placeholder"]);

        // A stand-in for the published executable: the templates do not depend on its content, only on its being there.
        var published = Directory.CreateDirectory(Path.Combine(root, "published-bootstrap")).FullName;
        File.WriteAllText(Path.Combine(published, "bootstrap"), "#!/bin/sh\n");
        // The CLI takes a context value on one line.
        var allActions = JsonNode.Parse(File.ReadAllText(SynthesizedApp.AllActionsSettingsFile))!.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        AllActions = Synthesize("all-actions", ["-c", $"serverlessChaos:bootstrap={published}", "-c", $"serverlessChaos={allActions}"]);
        lint = new(() => CfnLintFinding.Run(Variants.SelectMany(v => v.TemplateFiles)));
    }

    /// <summary>cfn-lint's findings on every template of both variants (one cfn-lint run, ~40 s, made on first use).</summary>
    public IReadOnlyList<CfnLintFinding> Lint() => lint.Value;

    private readonly Lazy<IReadOnlyList<CfnLintFinding>> lint;

    public Variant Default { get; }

    public Variant AllActions { get; }

    public IEnumerable<Variant> Variants => [Default, AllActions];

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private Variant Synthesize(string name, IEnumerable<string> context)
    {
        var output = Path.Combine(root, name);
        var (exitCode, text) = ExternalTool.Run(ExternalTool.Cdk, ["synth", "--build", "", .. context, "--no-notices", "-q", "-o", output]);
        return new Variant(name, output, exitCode, text);
    }

    /// <summary>One synthesized app: its output folder and what the CLI said.</summary>
    public sealed record Variant(string Name, string Directory, int ExitCode, string Output)
    {
        public IReadOnlyList<string> TemplateFiles => System.IO.Directory.GetFiles(Directory, "*.template.json").Order(StringComparer.Ordinal).ToList();

        public IReadOnlyList<TemplateJson> Templates => TemplateFiles
            .Select(f => new TemplateJson(JsonNode.Parse(File.ReadAllText(f))!.AsObject(), $"{Name}/{Path.GetFileName(f)}"))
            .ToList();

        public override string ToString() => Name;
    }
}

/// <summary>Tests of the CLI-synthesized app share one synth of each variant.</summary>
[CollectionDefinition(Name)]
public sealed class CdkCliSynthCollection : ICollectionFixture<CdkCliSynth>
{
    public const string Name = "CDK CLI synth";
}

/// <summary>One cfn-lint error, warning or informational finding.</summary>
public sealed record CfnLintFinding(string File, string Rule, string Level, string Message, string Path)
{
    /// <summary>Runs cfn-lint (the pinned Python package; its console script is not needed) on <paramref name="files"/>.</summary>
    public static IReadOnlyList<CfnLintFinding> Run(IEnumerable<string> files)
    {
        var list = files.ToList();
        list.ShouldNotBeEmpty("there must be templates to lint");
        var (exitCode, output) = ExternalTool.Run("python3",
            ["-c", "import sys; from cfnlint.runner import main; sys.exit(main())", "--format", "json", "--", .. list], TimeSpan.FromMinutes(6));

        // cfn-lint's exit code is a bit set (2 errors, 4 warnings, 8 informational); 1 means it failed to run.
        (exitCode & 1).ShouldBe(0, $"cfn-lint did not run (exit {exitCode}):\n{output}");
        var json = output[output.IndexOf('[', StringComparison.Ordinal)..];
        return JsonNode.Parse(json)!.AsArray().Select(f => new CfnLintFinding(
                f!["Filename"]!.GetValue<string>(),
                f["Rule"]!["Id"]!.GetValue<string>(),
                f["Level"]!.GetValue<string>(),
                f["Message"]!.GetValue<string>(),
                string.Join("/", f["Location"]!["Path"]!.AsArray().Select(p => p!.ToString()))))
            .ToList();
    }

    public override string ToString() => $"{System.IO.Path.GetFileName(File)}: {Rule} ({Level}) {Message} at {Path}";
}
