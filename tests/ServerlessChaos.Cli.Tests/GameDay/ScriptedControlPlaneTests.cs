using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.GameDay.Target;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.Tests.GameDay;

// The game day's own machinery (servers, load, alarms, phases, report) around a control plane that plays a
// fixed script; the end-to-end tests run the real state machine instead.
public class ScriptedControlPlaneTests
{
    private sealed class ScriptedControlPlane(string verdict, List<(string Alarm, AlarmState State)> published) : ILocalControlPlane
    {
        public event Action<string, string?>? ParameterChanged;

        public string HaltParameter => ChaosConventions.HaltParameter;

        private volatile string? armed;

        public Task<string?> GetParameterAsync(string name, CancellationToken cancellationToken) =>
            Task.FromResult(name == "/serverless-chaos/functions/sample-api" ? armed : null);

        public Task SetAlarmAsync(AlarmDefinition alarm, AlarmState state, string reason, CancellationToken cancellationToken)
        {
            lock (published)
            {
                published.Add((alarm.Name, state));
            }

            return Task.CompletedTask;
        }

        public async Task<ExecutionOutcome> RunAsync(string experimentJson, Action<string> stepInvoked, CancellationToken cancellationToken)
        {
            foreach (var step in new[] { "validate", "preflight", "arm", "observe", "rollback", "verify", "report" })
            {
                stepInvoked(step);
                armed = step switch
                {
                    "arm" => $$"""{"version":1,"enabled":true,"expiresAt":"{{DateTimeOffset.UtcNow.AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}}","faults":[{"type":"statusCode","rate":1,"statusCode":503}]}""",
                    "rollback" => """{"version":1,"enabled":false}""",
                    _ => armed,
                };
                ParameterChanged?.Invoke("/serverless-chaos/functions/sample-api", armed);
                await Task.Delay(step switch { "observe" => 2500, "verify" => 1500, _ => 300 }, cancellationToken);
            }

            var output = new JsonObject
            {
                ["journal"] = new JsonObject
                {
                    ["experiment"] = "scripted",
                    ["verdict"] = verdict,
                    ["reasons"] = verdict == "held" ? new JsonArray() : new JsonArray("alarm sample-api-5xx-rate went into ALARM after 3 s"),
                    ["timeline"] = new JsonArray(new JsonObject { ["step"] = "arm", ["message"] = "armed /serverless-chaos/functions/sample-api" }),
                },
            };
            return new ExecutionOutcome("SUCCEEDED", output);
        }

        public IReadOnlyList<JsonNode> DeadLetters() => [];

        public void AddFisTemplate(ServerlessChaos.Orchestrator.Backends.Local.LocalFisTemplate template)
        {
        }

        public IReadOnlyList<(string ExperimentId, ServerlessChaos.Orchestrator.Backends.Local.LocalFisAction Action)> ActiveFisActions() => [];

        public Task<string> StopAndRollBackAsync(CancellationToken cancellationToken)
        {
            armed = null;
            return Task.FromResult("rollback done after the interrupt: restored /serverless-chaos/functions/sample-api");
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private static async Task<(GameDayResult Result, string Output, List<(string, AlarmState)> Published)> RunAsync(string verdict)
    {
        var dir = TestPaths.NewTempDirectory();
        var experimentPath = Path.Combine(dir, "experiment.json");
        await File.WriteAllTextAsync(experimentPath, """
            { "version": 1, "name": "scripted", "description": "A scripted run",
              "hypothesis": { "alarms": ["sample-api-p99-latency", "sample-api-5xx-rate"] },
              "faults": [ { "wrapper": { "parameter": "/serverless-chaos/functions/sample-api",
                "settings": { "version": 1, "faults": [ { "type": "statusCode", "rate": 1, "statusCode": 503 } ] } } } ],
              "durationSeconds": 2, "pollIntervalSeconds": 1 }
            """);
        var options = new GameDayOptions
        {
            Assets = ServerlessChaos.Cli.GameDay.Assets.GameDayAssets.FromRepository(TestPaths.RepositoryRoot),
            Plan = ServerlessChaos.Cli.GameDay.Plan.GameDayPlan.Single(experimentPath),
            ReportDirectory = Path.Combine(dir, "report"),
            RatePerSecond = 20,
            Alarms = [SampleAlarms.P99LatencyAlarm(TimeSpan.FromSeconds(1)), SampleAlarms.ServerErrorRateAlarm(TimeSpan.FromSeconds(1))],
            PlainStatusInterval = TimeSpan.FromSeconds(1),
        };
        var published = new List<(string, AlarmState)>();
        var output = new StringWriter();
        var runner = new GameDayRunner(options, output, interactive: false, TimeProvider.System, (_, _) => Task.FromResult<ILocalControlPlane>(new ScriptedControlPlane(verdict, published)), SampleTargetFactory.Create);
        var result = await runner.RunAsync(CancellationToken.None);
        return (result, output.ToString(), published);
    }

    [Fact]
    public async Task A_held_run_serves_the_sample_api_under_load_publishes_alarm_states_and_writes_all_three_reports()
    {
        var (result, output, published) = await RunAsync("held");

        result.Verdict.ShouldBe(Verdict.Held);
        result.Verdict.ExitCode().ShouldBe(0);
        result.Report.Totals.Count.ShouldBeGreaterThan(20);
        var phases = result.Report.PhaseSummaries.ToDictionary(p => p.Name, p => p.Stats);
        phases["baseline"].ServerErrors.ShouldBe(0);
        phases["baseline"].Injected.ShouldBe(0);
        phases["fault injection"].Injected.ShouldBeGreaterThan(10); // the wrapper read the armed settings within a second
        phases["fault injection"].ServerErrors.ShouldBeGreaterThanOrEqualTo(phases["fault injection"].Injected);
        phases["report"].Injected.ShouldBe(0); // rolled back, and the wrapper re-read its settings within its 1 s cache time
        File.ReadAllText(Path.Combine(result.ReportDirectory, "wrapper-log.jsonl")).ShouldContain("statusCode");
        published.ShouldContain(("sample-api-p99-latency", AlarmState.Ok));
        published.ShouldContain(("sample-api-5xx-rate", AlarmState.Ok));
        result.Report.PhaseSummaries.Select(p => p.Name).ShouldBe(["baseline", "steady-state check", "fault injection", "rollback", "recovery", "report", "cool-down"]);

        var html = await File.ReadAllTextAsync(Path.Combine(result.ReportDirectory, "report.html"));
        html.ShouldContain("<svg");
        html.ShouldContain("fault injection");
        html.ShouldContain("armed /serverless-chaos/functions/sample-api"); // the journal
        html.ShouldNotContain("<script");
        html.ShouldNotContain("https://");

        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(result.ReportDirectory, "report.json")))!;
        json["verdict"]!.GetValue<string>().ShouldBe("held");
        json["exitCode"]!.GetValue<int>().ShouldBe(0);
        json["phases"]!.AsArray().Count.ShouldBe(7);
        json["series"]!.AsArray().Sum(p => p!["requests"]!.GetValue<int>()).ShouldBe(json["totals"]!["requests"]!.GetValue<int>());

        var md = await File.ReadAllTextAsync(Path.Combine(result.ReportDirectory, "report.md"));
        md.ShouldContain("**Verdict: held** (exit code 0)");
        md.ShouldContain("| sample-api-5xx-rate | 5xx rate (%) |");

        output.ShouldContain("phase: fault injection");
        output.ShouldContain("Verdict: held (exit code 0)");
        output.ShouldContain("rps");
    }

    [Fact]
    public async Task An_aborted_journal_gives_exit_code_2_and_its_reason()
    {
        var (result, output, _) = await RunAsync("aborted");

        result.Verdict.ShouldBe(Verdict.Aborted);
        result.Verdict.ExitCode().ShouldBe(2);
        result.Report.Reason.ShouldContain("alarm sample-api-5xx-rate went into ALARM");
        output.ShouldContain("Verdict: aborted (exit code 2)");
    }
}
