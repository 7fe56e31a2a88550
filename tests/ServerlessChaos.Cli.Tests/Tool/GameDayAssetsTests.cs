using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Assets;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Tool;

public class GameDayAssetsTests
{
    private static JsonObject Packages(string lockFile) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, lockFile)))!["packages"]!.AsObject();

    [Fact]
    public void The_installed_tools_Node_lock_pins_exactly_the_versions_of_the_repositorys_lock_so_the_same_npm_cache_serves_both()
    {
        var repository = Packages("package-lock.json");
        var runner = Packages("src/Orchestrator.Local/node/package-lock.json");

        runner.ShouldContainKey("node_modules/aws-local-stepfunctions");
        foreach (var (path, package) in runner.Where(p => p.Key.Length > 0))
        {
            repository.ShouldContainKey(path);
            package!["version"]!.GetValue<string>().ShouldBe(repository[path]!["version"]!.GetValue<string>(), path);
        }
    }

    [Fact]
    public void From_inside_the_repository_the_game_day_uses_the_repositorys_files_and_node_modules_as_today()
    {
        var assets = GameDayAssets.Locate(null, Path.Combine(TestPaths.RepositoryRoot, "events"), TestPaths.NewTempDirectory(), _ => null);

        assets.RepositoryRoot.ShouldBe(Path.TrimEndingDirectorySeparator(Path.GetFullPath(TestPaths.RepositoryRoot)));
        assets.StateMachineDefinition.ShouldBe(Path.Combine(assets.RepositoryRoot!, "infra/statemachine/experiment.asl.json"));
        assets.NodeToolsFolder.ShouldBe(assets.RepositoryRoot);
        assets.RunnerOptions().RepositoryRoot.ShouldBe(assets.RepositoryRoot);
    }

    [Fact]
    public void The_packaged_files_are_used_with_the_Node_tools_in_the_cache_the_variable_names()
    {
        var cache = TestPaths.NewTempDirectory();

        var assets = GameDayAssets.FromPackage(AppContext.BaseDirectory, GameDayAssets.CacheRoot(name => name == GameDayAssets.CacheVariable ? cache : null));

        assets.RepositoryRoot.ShouldBeNull();
        assets.StateMachineDefinition.ShouldBe(Path.Combine(AppContext.BaseDirectory, "gameday/statemachine/experiment.asl.json"));
        File.Exists(assets.DefaultPlan).ShouldBeTrue();
        Path.GetDirectoryName(assets.NodeToolsFolder).ShouldBe(Path.Combine(cache, "node-tools"));
        assets.NodeToolsInstalled.ShouldBeFalse();
    }

    [Fact]
    public void The_cache_defaults_to_XDG_CACHE_HOME_then_the_home_folders_cache()
    {
        GameDayAssets.CacheRoot(name => name == "XDG_CACHE_HOME" ? "/var/cache/me" : null).ShouldBe("/var/cache/me/serverless-chaos");
        GameDayAssets.CacheRoot(_ => null).ShouldBe(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "serverless-chaos"));
    }

    [Fact]
    public void A_repository_option_that_is_not_a_repository_is_one_line_naming_the_option()
    {
        var folder = TestPaths.NewTempDirectory();

        var error = Should.Throw<CliException>(() => GameDayAssets.Locate(folder, folder, AppContext.BaseDirectory, _ => null));

        error.Message.ShouldBe($"--repository {folder} is not a ServerlessChaos repository (no infra/statemachine/experiment.asl.json and package.json there)");
    }
}
