using System.IO.Compression;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Tool;

/// <summary>The packed <c>chaos</c> tool, installed outside the repository and run from an empty folder, as a new user runs it.</summary>
public sealed class InstalledToolTests(InstalledToolFixture tool) : IClassFixture<InstalledToolFixture>
{
    private static readonly string Experiments = Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Experiments");

    private Task<(int ExitCode, string Output)> RunChaosAsync(string folder, Dictionary<string, string?> environment, params string[] arguments) =>
        DotnetCli.RunAsync(folder, environment, TimeSpan.FromSeconds(120), tool.Chaos, arguments);

    [Fact]
    public async Task The_installed_tool_runs_a_game_day_from_an_empty_folder_installs_the_Node_tools_once_and_writes_the_report_there()
    {
        var empty = TestPaths.NewTempDirectory();
        var cache = TestPaths.NewTempDirectory();
        var environment = tool.Environment(cache);
        string[] arguments = ["gameday", Path.Combine(Experiments, "held.json"), "--alarms", Path.Combine(Experiments, "alarms-fast.json"), "--junit", "results.xml"];

        var (exit, output) = await RunChaosAsync(empty, environment, arguments);

        exit.ShouldBe(0, output);
        output.ShouldContain($"installing the Node tools the local state machine needs (npm ci) into {Path.Combine(cache, "node-tools")}", customMessage: output);
        output.ShouldContain("Verdict: held (exit code 0)");
        var reportFolder = Directory.GetDirectories(empty, "gameday-report-*").ShouldHaveSingleItem();
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reportFolder, "report.json")))!;
        report["verdict"]!.GetValue<string>().ShouldBe("held");
        File.Exists(Path.Combine(reportFolder, "report.html")).ShouldBeTrue();
        (await File.ReadAllTextAsync(Path.Combine(empty, "results.xml"))).ShouldContain("test-held");
        var installed = Directory.GetDirectories(Path.Combine(cache, "node-tools")).ShouldHaveSingleItem();
        Directory.Exists(Path.Combine(installed, "node_modules", "aws-local-stepfunctions")).ShouldBeTrue();

        // The second run finds the Node tools in the cache.
        var again = TestPaths.NewTempDirectory();
        (exit, output) = await RunChaosAsync(again, environment, arguments);

        exit.ShouldBe(0, output);
        output.ShouldNotContain("installing the Node tools");
        Directory.GetDirectories(again, "gameday-report-*").ShouldHaveSingleItem();
    }

    [Fact]
    public async Task Without_npm_on_the_PATH_the_installed_tool_says_what_it_needs_in_one_line_and_exits_2()
    {
        var empty = TestPaths.NewTempDirectory();
        var environment = tool.Environment(TestPaths.NewTempDirectory());
        environment["PATH"] = TestPaths.NewTempDirectory(); // nothing on it: no node, no npm
        environment["DOTNET_ROOT"] = Path.GetDirectoryName(System.Environment.ProcessPath); // the test host runs under dotnet: the tool's runtime

        var (exit, output) = await RunChaosAsync(empty, environment, "gameday", "--plain");

        exit.ShouldBe(2, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.ShouldContain(l => l.StartsWith("chaos: the local game day needs Node.js 20 and npm on the PATH", StringComparison.Ordinal), output);
        output.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData("gameday/statemachine/experiment.asl.json", "infra/statemachine/experiment.asl.json")]
    [InlineData("gameday/node/run-state-machine.mjs", "src/Orchestrator.Local/node/run-state-machine.mjs")]
    [InlineData("gameday/node/promise-with-resolvers.mjs", "src/Orchestrator.Local/node/promise-with-resolvers.mjs")]
    [InlineData("gameday/node/package-lock.json", "src/Orchestrator.Local/node/package-lock.json")]
    [InlineData("gameday/events/gamedays/default.json", "events/gamedays/default.json")]
    [InlineData("gameday/events/experiments/gameday-local.json", "events/experiments/gameday-local.json")]
    [InlineData("gameday/events/experiments/gameday-task-stop.json", "events/experiments/gameday-task-stop.json")]
    public void The_package_carries_the_repositorys_game_day_files_unchanged(string packaged, string repository)
    {
        using var zip = ZipFile.OpenRead(tool.Package);
        var entry = zip.Entries.SingleOrDefault(e => e.FullName.EndsWith("/any/" + packaged, StringComparison.Ordinal));
        entry.ShouldNotBeNull($"{packaged} is not in {tool.Package}");
        using var reader = new StreamReader(entry.Open());
        reader.ReadToEnd().ShouldBe(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, repository)));
    }
}
