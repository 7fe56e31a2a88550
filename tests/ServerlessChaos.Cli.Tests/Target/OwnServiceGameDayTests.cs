using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Target;

/// <summary>
/// A game day against "your own service": the sample API as a separate process (<c>chaos sample-api</c>), configured
/// only through the environment variables the game day gives it, reading the armed settings over the SSM protocol.
/// </summary>
public class OwnServiceGameDayTests
{
    private static readonly string Experiments = Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Experiments");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string GameDayFile(string folder, int port, string experiment, JsonObject? extra = null)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "ServerlessChaos.Cli.dll");
        return GameDayFile(folder, new JsonObject
        {
            ["url"] = $"http://127.0.0.1:{port}/",
            ["command"] = new JsonObject
            {
                ["file"] = DotnetCli.Executable,
                ["args"] = new JsonArray(cli, "sample-api", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ["readinessPath"] = "/health",
            },
            ["parameters"] = new JsonArray("/serverless-chaos/functions/sample-api"),
            ["ssmPort"] = 0,
        }, experiment, extra);
    }

    private static string GameDayFile(string folder, JsonObject target, string experiment, JsonObject? extra = null)
    {
        var plan = new JsonObject
        {
            ["name"] = "own-service",
            ["experiments"] = new JsonArray(Path.Combine(Experiments, experiment)),
            ["alarms"] = Path.Combine(Experiments, "alarms-fast.json"),
            ["load"] = new JsonObject { ["ratePerSecond"] = 20, ["requests"] = new JsonArray(new JsonObject { ["method"] = "GET", ["path"] = "/orders/{n}" }) },
            ["target"] = target,
        };
        foreach (var (key, value) in extra ?? [])
        {
            plan[key] = value?.DeepClone();
        }

        var file = Path.Combine(folder, "gameday.json");
        File.WriteAllText(file, plan.ToJsonString());
        return file;
    }

    [Fact]
    public async Task A_separate_process_configured_only_by_environment_reads_the_armed_faults_over_SSM_and_the_game_day_holds()
    {
        var folder = TestPaths.NewTempDirectory();
        var reportDir = Path.Combine(folder, "report");
        var file = GameDayFile(folder, FreePort(), "own-service-status.json");

        var run = await Chaos.RunAsync(null, "gameday", "--plan", file, "--report", reportDir, "--plain");

        run.ExitCode.ShouldBe(0, run.Out + run.Error);
        run.Out.ShouldContain("with these environment variables");
        run.Out.ShouldMatch(@"AWS_ENDPOINT_URL_SSM=http://127\.0\.0\.1:\d+");
        run.Out.ShouldContain("SERVERLESS_CHAOS_PARAMETER=/serverless-chaos/functions/sample-api");
        run.Out.ShouldContain("AWS_REGION=us-east-1");
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reportDir, "report.json")))!;
        report["verdict"]!.GetValue<string>().ShouldBe("held");
        var experiment = report["experiments"]!.AsArray().ShouldHaveSingleItem()!;
        var phases = experiment["phases"]!.AsArray();
        int Injected(string phase) => phases.Single(p => p!["name"]!.GetValue<string>() == phase)!["stats"]!["injected"]!.GetValue<int>();
        Injected("baseline").ShouldBe(0);
        // Only the service's own wrapper can add X-Chaos-Injected, and it learns of the faults only through SSM.
        Injected("fault injection").ShouldBeGreaterThan(0);
        // The game day saw it read them, and then the rollback, over SSM.
        var service = experiment["timeline"]!.AsArray().Where(t => t!["source"]!.GetValue<string>() == "service").Select(t => t!["text"]!.GetValue<string>()).ToList();
        service.Count.ShouldBe(2, string.Join(Environment.NewLine, service));
        service[0].ShouldMatch(@"^your service read the armed settings of /serverless-chaos/functions/sample-api, \d+\.\d s after the arm$");
        service[1].ShouldMatch(@"^your service read /serverless-chaos/functions/sample-api deleted, \d+\.\d s after the change$");
        experiment["journal"]!["restored"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain("/serverless-chaos/functions/sample-api");
        (await File.ReadAllTextAsync(Path.Combine(reportDir, "service.log"))).ShouldContain("reading /serverless-chaos/functions/sample-api");
    }

    [Fact]
    public async Task A_service_that_never_reads_the_armed_settings_is_not_reported_as_holding_but_as_never_reached()
    {
        // Answers every request, but reads nothing from the game day's SSM endpoint (a wrong AWS_ENDPOINT_URL_SSM, say).
        await using var deaf = await LoopbackServer.StartAsync(LoopbackServer.Json(200, """{"id":"1"}""", "application/json"));
        var folder = TestPaths.NewTempDirectory();
        var reportDir = Path.Combine(folder, "report");
        var file = GameDayFile(folder, new JsonObject
        {
            ["url"] = deaf.Url.AbsoluteUri,
            ["parameters"] = new JsonArray("/serverless-chaos/functions/sample-api"),
            ["ssmPort"] = FreePort(),
        }, "own-service-status.json");

        var run = await Chaos.RunAsync(null, "gameday", "--plan", file, "--report", reportDir, "--plain");

        run.ExitCode.ShouldBe(2, run.Out + run.Error);
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reportDir, "report.json")))!;
        report["verdict"]!.GetValue<string>().ShouldBe("aborted");
        var experiment = report["experiments"]!.AsArray().ShouldHaveSingleItem()!;
        experiment["reason"]!.GetValue<string>().ShouldMatch(@"^your service never read the armed settings of /serverless-chaos/functions/sample-api in the \d+\.\d s they were armed, so no wrapper fault reached it and the hypothesis was not tested \(the state machine's verdict: held, every hypothesis alarm stayed OK");
        experiment["timeline"]!.AsArray().ShouldNotContain(t => t!["source"]!.GetValue<string>() == "service");
        // Everything was still rolled back.
        experiment["journal"]!["restored"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldContain("/serverless-chaos/functions/sample-api");
        run.Out.ShouldContain("Verdict: aborted (exit code 2)");
        run.Out.ShouldContain("test-own-service: aborted — your service never read the armed settings of /serverless-chaos/functions/sample-api");
    }

    [Fact]
    public async Task A_wrapper_fault_aimed_at_a_parameter_the_target_does_not_read_is_refused_naming_the_field()
    {
        var folder = TestPaths.NewTempDirectory();
        var file = GameDayFile(folder, FreePort(), "own-service-status.json");
        var plan = JsonNode.Parse(await File.ReadAllTextAsync(file))!;
        plan["target"]!["parameters"] = new JsonArray("/serverless-chaos/functions/my-api");
        await File.WriteAllTextAsync(file, plan.ToJsonString());

        var run = await Chaos.RunAsync(null, "gameday", "--plan", file, "--report", Path.Combine(folder, "report"), "--plain");

        run.ExitCode.ShouldBe(2);
        run.Error.ShouldContain("faults[0].wrapper.parameter is /serverless-chaos/functions/sample-api, which no function of this game day reads (it serves /serverless-chaos/functions/my-api)");
    }
}
