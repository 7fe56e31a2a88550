using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using ServerlessChaos.Infra.Settings;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

// In the synthesized-app collection: the JSII runtime is one process per test host and not safe for parallel calls.
[Collection(SynthesizedAppCollection.Name)]
public sealed class BootstrapAssetTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bootstrap-").FullName;

    private InfraSettings SettingsWithBootstrapIn(string directory) =>
        InfraSettingsReader.Read(JsonNode.Parse("""{ "sampleTarget": { "enabled": false } }"""), Repository.Root, directory);

    [Fact]
    public void A_missing_published_bootstrap_stops_the_synth_and_says_how_to_publish_it()
    {
        var app = new App(new AppProps { Outdir = Path.Combine(folder, "out") });

        var error = Should.Throw<InfraSettingsException>(() => ServerlessChaosApp.Build(app, SettingsWithBootstrapIn(Path.Combine(folder, "missing"))));

        error.Message.ShouldContain("no 'bootstrap' executable");
        error.Message.ShouldContain("dotnet publish src/Orchestrator/ServerlessChaos.Orchestrator.csproj -c Release -r linux-x64 -o artifacts/bootstrap");
        error.Message.ShouldContain("-c serverlessChaos:bootstrap=placeholder");
    }

    [Fact]
    public void A_published_bootstrap_deploys_without_the_placeholder_guard()
    {
        var published = Directory.CreateDirectory(Path.Combine(folder, "published")).FullName;
        File.WriteAllText(Path.Combine(published, "bootstrap"), "real");
        File.WriteAllText(Path.Combine(published, "bootstrap.dbg"), "symbols");
        File.WriteAllText(Path.Combine(published, "ServerlessChaos.Aws.pdb"), "symbols");
        var app = new App(new AppProps { Outdir = Path.Combine(folder, "out") });

        var stacks = ServerlessChaosApp.Build(app, SettingsWithBootstrapIn(published));
        var template = Template.FromStack(stacks.ControlPlane).ToJSON();

        stacks.SampleTarget.ShouldBeNull();
        var rules = ContextJson.ToJsonNode(template)!["Rules"]!.AsObject();
        rules.ContainsKey("PlaceholderBootstrapCannotBeDeployed").ShouldBeFalse();
        rules.ContainsKey("CheckBootstrapVersion").ShouldBeTrue();

        // The staged code asset holds the executable, not the debug symbols publish leaves beside it.
        var staged = Directory.GetDirectories(Path.Combine(folder, "out"), "asset.*").Single(d => File.Exists(Path.Combine(d, "bootstrap")));
        Directory.GetFiles(staged).Select(Path.GetFileName).ShouldBe(["bootstrap"]);
        File.ReadAllText(Path.Combine(staged, "bootstrap")).ShouldBe("real");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
