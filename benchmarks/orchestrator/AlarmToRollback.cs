#:project ../../src/Orchestrator.Local/ServerlessChaos.Orchestrator.Local.csproj
#:property PublishAot=false
// Alarm → rollback in a real-time local run: the repository's ASL in aws-local-stepfunctions, real waits,
// poll interval 2 s. An alarm goes to ALARM at a random moment; the time is measured from that moment to
// the wrapper settings restored and to the rollback finished (FIS stopped, ledger cleared).
// Usage (from the repository root): dotnet run benchmarks/orchestrator/AlarmToRollback.cs [runs=5]
using System.Diagnostics;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Local;
using ServerlessChaos.Orchestrator.Steps;

var runs = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5;
const string Parameter = "/serverless-chaos/functions/sample-api";
var local = new LocalBackends(null, TimeProvider.System);
local.Alarms.Define("sample-api-p99-latency", periodSeconds: 10);
local.Alarms.Define("sample-api-5xx-rate", periodSeconds: 10);
local.Fis.AddTemplate(new LocalFisTemplate
{
    Id = "EXTsampleapidelay",
    Actions = { new LocalFisAction { Name = "delay", ActionId = "aws:lambda:invocation-add-delay", Functions = { "sample-api" }, Duration = TimeSpan.FromSeconds(60) } },
});
var functions = new ControlFunctions(local.ToControlPlaneBackends(), new ControlPlaneOptions(), TimeProvider.System);
await using var runner = await LocalStateMachineRunner.StartAsync(functions);
var input = JsonNode.Parse(File.ReadAllText("events/experiments/gameday-local.json"))!.AsObject();
input["pollIntervalSeconds"] = 2;
input["faults"]!.AsArray().Add(new JsonObject { ["fis"] = new JsonObject { ["templateId"] = "EXTsampleapidelay" } });

var random = new Random(7);
var restoredMs = new List<double>();
var finishedMs = new List<double>();
for (var run = 0; run < runs; run++)
{
    var name = $"alarm-to-rollback-{run}";
    var clock = new Stopwatch();
    double? restored = null, finished = null;
    void OnChanged(string parameter, string? value)
    {
        if (!clock.IsRunning) return;
        if (parameter == Parameter && value is null) restored ??= clock.Elapsed.TotalMilliseconds;
        if (parameter.EndsWith(name, StringComparison.Ordinal) && value is null) finished ??= clock.Elapsed.TotalMilliseconds;
    }

    local.Parameters.Changed += OnChanged;
    var execution = runner.RunAsync(input, new LocalRunOptions { Name = name });
    await Task.Delay(TimeSpan.FromSeconds(4 + random.NextDouble() * 4));
    local.Alarms.SetState("sample-api-5xx-rate", "ALARM");
    clock.Start();
    while (finished is null && !execution.IsCompleted) await Task.Delay(5);
    local.Alarms.SetState("sample-api-5xx-rate", "OK");
    var result = await execution;
    local.Parameters.Changed -= OnChanged;
    Console.WriteLine($"run {run}: verdict {result.Output?["verdict"]}, settings restored after {restored:F0} ms, rollback finished (FIS stopped) after {finished:F0} ms");
    restoredMs.Add(restored ?? double.NaN);
    finishedMs.Add(finished ?? double.NaN);
}

Console.WriteLine($"poll interval 2000 ms; alarm → settings restored: max {restoredMs.Max():F0} ms; alarm → rollback finished: max {finishedMs.Max():F0} ms, mean {finishedMs.Average():F0} ms");
