using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Backends.Probes;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Tests.Support;

/// <summary>
/// One execution's world: a manual clock, the embedded backends (wrapped by a fault injector) and the
/// control functions over them. Hooks run before each step, e.g. to move the clock or fire an alarm.
/// </summary>
public sealed class Scenario : IDisposable
{
    public const string Checkout = "/serverless-chaos/functions/checkout";
    public const string Orders = "/serverless-chaos/functions/orders";
    public const string LatencyAlarm = "checkout-p99-latency";
    public const string ErrorAlarm = "checkout-5xx-rate";
    public const string Template = "EXTlambdadelay01";
    public const string PriorCheckout = ChaosConventions.DisarmedDocument;

    private readonly string folder = Path.Combine(Path.GetTempPath(), "sc-orch-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, int> stepCounts = new();

    public Scenario(string? name = null)
    {
        Name = name ?? "test-" + Guid.NewGuid().ToString("N")[..12];
        Directory.CreateDirectory(folder);
        Local = new LocalBackends(folder, Clock);
        Local.Alarms.Define(LatencyAlarm, periodSeconds: 10, evaluationPeriods: 2);
        Local.Alarms.Define(ErrorAlarm, periodSeconds: 10, evaluationPeriods: 1);
        Local.Fis.AddTemplate(new LocalFisTemplate
        {
            Id = Template,
            Tags = { ["serverless-chaos:template"] = "checkout-lambda-delay" },
            Actions = { new LocalFisAction { Name = "delay", ActionId = "aws:lambda:invocation-add-delay", Functions = { "checkout" }, Duration = TimeSpan.FromSeconds(60) } },
        });
        Local.Parameters.Put(Checkout, PriorCheckout);
        // Probes send real traffic, so they pace themselves by the real clock.
        var backends = Local.ToControlPlaneBackends() with { Probes = new HttpLoadProbeRunner(Http, TimeProvider.System) };
        Functions = new ControlFunctions(Faults.Wrap(backends), new ControlPlaneOptions(), Clock);
    }

    private static HttpClient Http { get; } = new();

    public string Name { get; }

    public ManualTimeProvider Clock { get; } = new();

    public LocalBackends Local { get; }

    public FaultInjector Faults { get; } = new();

    public ControlFunctions Functions { get; }

    public int PollSeconds { get; set; } = 5;

    /// <summary>Runs before a step with the step name and how many times that step ran before.</summary>
    public Action<string, int>? BeforeStep { get; set; }

    public async Task<string> InvokeAsync(string handler, string payload, CancellationToken ct)
    {
        int count;
        lock (stepCounts)
        {
            count = stepCounts.GetValueOrDefault(handler);
            stepCounts[handler] = count + 1;
        }

        // The monitor and recovery loops wait one poll interval before each observation.
        if (handler is "observe" or "verify")
        {
            Clock.Advance(TimeSpan.FromSeconds(PollSeconds));
        }

        BeforeStep?.Invoke(handler, count);
        Faults.Step = handler;
        return await Functions.InvokeAsync(handler, payload, ct);
    }

    /// <summary>An experiment: both targets armed, optionally a FIS template, 30 s at the scenario's poll interval.</summary>
    public JsonObject Experiment(bool withFis = true, int durationSeconds = 30)
    {
        var faults = new JsonArray
        {
            Wrapper(Checkout),
            Wrapper(Orders),
        };
        if (withFis)
        {
            faults.Add(new JsonObject { ["fis"] = new JsonObject { ["templateId"] = Template } });
        }

        return new JsonObject
        {
            ["version"] = 1,
            ["name"] = "checkout-latency",
            ["hypothesis"] = new JsonObject { ["alarms"] = new JsonArray(LatencyAlarm, ErrorAlarm), ["recoveryWindowSeconds"] = 20 },
            ["faults"] = faults,
            ["durationSeconds"] = durationSeconds,
            ["pollIntervalSeconds"] = PollSeconds,
            ["abortBudgetSeconds"] = 60,
        };
    }

    private static JsonObject Wrapper(string parameter) => new()
    {
        ["wrapper"] = new JsonObject
        {
            ["parameter"] = parameter,
            ["settings"] = JsonNode.Parse("""{"faults":[{"type":"latency","rate":0.5,"minMs":100,"maxMs":200}]}"""),
        },
    };

    /// <summary>Parameters that are armed now by the wrapper's rule.</summary>
    public IReadOnlyList<string> ArmedParameters() => Local.Parameters.Snapshot()
        .Where(p => ArmState.IsArmed(p.Value, Clock.GetUtcNow(), out _)).Select(p => p.Key).ToList();

    /// <summary>Dead-letter messages of this execution.</summary>
    public IReadOnlyList<JsonNode> DeadLetters() => Local.DeadLetters.ReadAll();

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
