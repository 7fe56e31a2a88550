using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Local;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Tests.Support;

/// <summary>
/// One local runner (Kestrel Invoke endpoint + one Node process) shared by every state machine test.
/// Invocations are routed to the scenario whose name is the execution name in the payload, so
/// scenarios run side by side with their own clocks and backends.
/// </summary>
public sealed class StateMachineFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, Scenario> scenarios = new();

    public LocalStateMachineRunner Runner { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var functions = ControlFunctions.HandlerNames.ToDictionary(
            name => name,
            name => (LocalFunction)((payload, ct) => Route(payload).InvokeAsync(name, payload, ct)));
        Runner = await LocalStateMachineRunner.StartAsync(functions, new LocalStateMachineRunnerOptions { RepositoryRoot = Repository.Root });
    }

    public async Task<LocalExecutionResult> RunAsync(Scenario scenario, JsonNode input)
    {
        scenarios[scenario.Name] = scenario;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            return await Runner.RunAsync(input, new LocalRunOptions { Name = scenario.Name, WaitMilliseconds = 0, RetryIntervalMilliseconds = 0 }, timeout.Token);
        }
        finally
        {
            scenarios.TryRemove(scenario.Name, out _);
        }
    }

    private Scenario Route(string payload)
    {
        var name = JsonNode.Parse(payload)?["execution"]?["name"]?.GetValue<string>() ?? "";
        return scenarios.TryGetValue(name, out var scenario)
            ? scenario
            : throw new InvalidOperationException($"no scenario for execution {name}");
    }

    public async Task DisposeAsync() => await Runner.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class StateMachineCollection : ICollectionFixture<StateMachineFixture>
{
    public const string Name = "state machine";
}
