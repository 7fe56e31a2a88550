using BenchmarkDotNet.Attributes;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// Per-invocation cost of the wrapper against the bare handler, settings cached (no fetch during the run):
/// disarmed, not opted in, and armed with every fault type at rate 0; and the function reading the wrapper's clock.
/// </summary>
[MemoryDiagnoser]
public class WrapperOverheadBenchmarks
{
    private static readonly Task<WrapperBenchResponse> Reply = Task.FromResult(new WrapperBenchResponse { StatusCode = 200 });
    private readonly WrapperBenchRequest _request = new();
    private readonly WrapperBenchContext _context = new();
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _bare = null!;
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _notOptedIn = null!;
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _disarmed = null!;
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _armedRatesZero = null!;
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _statusInjected = null!;
    private readonly ChaosWrapper _clockWrapper = new(null);

    [GlobalSetup]
    public void Setup()
    {
        _bare = (_, _) => Reply;
        _notOptedIn = new ChaosWrapper(null).Decorate(_bare);
        _disarmed = Primed(new InMemorySettingsSource("""{"version":1,"enabled":false}"""));
        _armedRatesZero = Primed(new InMemorySettingsSource("""
            {"version":1,"enabled":true,"expiresAt":"2099-01-01T00:00:00Z","experimentId":"bench","faults":[
              {"type":"latency","rate":0,"minMs":100,"maxMs":200},
              {"type":"exception","rate":0},
              {"type":"statusCode","rate":0,"statusCode":503},
              {"type":"dependency","rate":0,"hosts":["*.amazonaws.com"],"fault":{"kind":"connection"}},
              {"type":"diskSpace","rate":0,"megabytes":1},
              {"type":"sqsBatchFailure","rate":0},
              {"type":"timeout","rate":0},
              {"type":"clockSkew","rate":0,"offsetMs":60000},
              {"type":"delayRecords","rate":0,"reportBatchItemFailures":true},
              {"type":"duplicateRecords","rate":0},
              {"type":"reorderRecords","rate":0}]}
            """));
        _statusInjected = Primed(new InMemorySettingsSource("""
            {"version":1,"enabled":true,"expiresAt":"2099-01-01T00:00:00Z","experimentId":"bench","faults":[
              {"type":"statusCode","rate":1,"statusCode":503}]}
            """));
    }

    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> Primed(IChaosSettingsSource source)
    {
        // Long lifetimes: the run measures the cached path only (fetches are measured separately).
        var wrapper = new ChaosWrapper(source, new ChaosOptions { ArmedTtl = TimeSpan.FromDays(1), IdleTtl = TimeSpan.FromDays(1), LogWriter = TextWriter.Null });
        var decorated = wrapper.Decorate(_bare);
        decorated(_request, _context).GetAwaiter().GetResult();
        return decorated;
    }

    [Benchmark(Baseline = true)]
    public Task<WrapperBenchResponse> Bare() => _bare(_request, _context);

    [Benchmark]
    public Task<WrapperBenchResponse> NotOptedIn() => _notOptedIn(_request, _context);

    [Benchmark]
    public Task<WrapperBenchResponse> Disarmed() => _disarmed(_request, _context);

    [Benchmark]
    public Task<WrapperBenchResponse> ArmedEveryRateZero() => _armedRatesZero(_request, _context);

    /// <summary>The function reading the wrapper's clock while nothing skews it, next to reading the system clock itself.</summary>
    [Benchmark]
    public DateTimeOffset FunctionClockRead() => _clockWrapper.Time.GetUtcNow();

    [Benchmark]
    public DateTimeOffset SystemClockRead() => TimeProvider.System.GetUtcNow();

    /// <summary>A status-code fault at rate 1: the response is built and the log line and EMF record written (to a null writer).</summary>
    [Benchmark]
    public Task<WrapperBenchResponse> StatusFaultInjected() => _statusInjected(_request, _context);
}
