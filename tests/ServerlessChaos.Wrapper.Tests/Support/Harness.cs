using System.Text.Json;
using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.Wrapper.Tests.Support;

/// <summary>A wrapper over an in-memory source, a manual clock, chosen random numbers and a captured log.</summary>
public sealed class Harness
{
    public Harness(string? settings, Func<double>? random = null, string? halt = null, Action<ChaosOptions>? configure = null)
    {
        Source = new InMemorySettingsSource(settings, halt);
        var options = new ChaosOptions
        {
            TimeProvider = Clock,
            Randomizer = random ?? Sequence.Always(0.5),
            RefreshRandomizer = Sequence.Always(0), // refreshes exactly at the TTL unless a test spreads them
            LogWriter = Log,
            FunctionName = "fallback-name",
        };
        configure?.Invoke(options);
        Wrapper = new ChaosWrapper(Source, options);
    }

    public ManualTimeProvider Clock { get; } = new();

    public InMemorySettingsSource Source { get; }

    public StringWriter Log { get; } = new();

    public ChaosWrapper Wrapper { get; }

    public TestLambdaContext Context(TimeSpan? remaining = null) => new(Clock, remaining);

    /// <summary>Every JSON line the wrapper wrote.</summary>
    public IReadOnlyList<JsonElement> Lines =>
        Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public IReadOnlyList<JsonElement> FaultLines => Lines.Where(l => l.TryGetProperty("fault", out _)).ToList();

    public IReadOnlyList<JsonElement> ProblemLines => Lines.Where(l => l.TryGetProperty("level", out var level) && level.GetString() == "ERROR").ToList();

    public IReadOnlyList<JsonElement> MetricLines => Lines.Where(l => l.TryGetProperty("_aws", out _)).ToList();

    /// <summary>Waits (without sleeping on the clock) until the wrapper has a timer pending, e.g. a latency delay.</summary>
    public async Task UntilTimerPendingAsync(int count = 1)
    {
        for (var i = 0; i < 5000 && Clock.PendingTimers < count; i++)
        {
            await Task.Yield();
            if (i > 100)
            {
                await Task.Delay(1);
            }
        }

        Clock.PendingTimers.ShouldBeGreaterThanOrEqualTo(count, "the wrapper never started waiting");
    }
}
