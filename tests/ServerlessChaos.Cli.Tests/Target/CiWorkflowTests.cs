using System.Text.RegularExpressions;
using ServerlessChaos.Cli.Commands;
using ServerlessChaos.Cli.GameDay;
using ServerlessChaos.Cli.GameDay.Assets;
using ServerlessChaos.Cli.GameDay.Plan;
using ServerlessChaos.Cli.GameDay.Target;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Target;

/// <summary>The worked pipeline in docs/ci uses only what the tool really has, and its files are valid game-day files.</summary>
public class CiWorkflowTests
{
    private static readonly string Folder = Path.Combine(TestPaths.RepositoryRoot, "docs/ci");
    private static readonly string[] Workflow = File.ReadAllLines(Path.Combine(Folder, "github-actions-gameday.yml"));

    // Every `tools/chaos ...` command line, up to a shell redirection or '&'.
    private static List<string[]> ChaosCommandLines() =>
    [
        .. Workflow
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("tools/chaos ", StringComparison.Ordinal) || l.StartsWith("nohup tools/chaos ", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("tools/chaos ", StringComparison.Ordinal) + "tools/chaos ".Length)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .TakeWhile(t => t is not (">" or "&" or "2>&1") && !t.StartsWith('>'))
                .ToArray()),
    ];

    [Fact]
    public void Every_chaos_command_line_in_the_workflow_parses_with_the_tools_own_commands_and_options()
    {
        var lines = ChaosCommandLines();

        lines.Select(l => l[0]).ShouldBe(["sample-api", "gameday"]);
        foreach (var args in lines)
        {
            var parsed = ChaosCli.Build(new CliContext { Out = TextWriter.Null, Error = TextWriter.Null }).Parse(args);
            parsed.Errors.Select(e => e.Message).ShouldBeEmpty(string.Join(' ', args));
        }
    }

    [Fact]
    public void The_workflows_game_day_file_is_valid_and_the_service_gets_exactly_the_environment_the_game_day_gives()
    {
        var plan = PlanFile.Read(Path.Combine(Folder, "gameday.json"));
        var spec = TargetSpec.Parse(plan.Target.ShouldNotBeNull(), plan.Source, Folder);
        var options = new GameDayOptions
        {
            Assets = GameDayAssets.FromRepository(TestPaths.RepositoryRoot),
            Plan = plan,
            ReportDirectory = TestPaths.NewTempDirectory(),
            ServedParameters = spec.Parameters,
            Target = spec,
        };
        foreach (var experiment in plan.Experiments)
        {
            GameDayRunner.ReadExperiment(experiment, options).ShouldNotBeNull();
        }

        // The "Start the service" step's env block, as KEY: value lines.
        var start = Array.FindIndex(Workflow, l => l.Trim() == "- name: Start the service");
        var given = Workflow.Skip(start + 2).TakeWhile(l => !l.Trim().StartsWith("run:", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(": ", 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = spec.ServiceEnvironment(new Uri($"http://127.0.0.1:{spec.SsmPort}/"));
        given.ShouldBe(expected.ToDictionary(e => e.Key, e => e.Value));

        // The service listens where the target points.
        var port = ChaosCommandLines().Single(l => l[0] == "sample-api").SkipWhile(t => t != "--port").ElementAt(1);
        spec.Url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe(port);
        Regex.IsMatch(string.Join('\n', Workflow), @"report_paths: results/gameday\.xml").ShouldBeTrue();
    }
}
