using System.Net;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Lambda;
using ServerlessChaos.Wrapper.Telemetry;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Sources.Ssm;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// Per-invocation cost of the wrapper against the bare handler, settings cached (no fetch during the run):
/// disarmed, not opted in, and armed with every fault type at rate 0; and the function reading the wrapper's clock.
/// The <c>Ssm*</c> cases are what a deployed function runs: the wrapper's own SSM reader (signed GetParameters,
/// answered by an in-process HTTP handler) and the DEFAULT options (5 s armed / 60 s idle TTLs, fail-closed bound), so
/// the refreshes that happen during the run are part of what is measured.
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
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _ssmDisarmed = null!;
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _ssmArmedRatesZero = null!;
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> _ssmStatusInjected = null!;
    private readonly ChaosWrapper _clockWrapper = new(null);

    [GlobalSetup]
    public void Setup()
    {
        _bare = (_, _) => Reply;
        _notOptedIn = new ChaosWrapper(null).Decorate(_bare);
        _disarmed = Primed(new InMemorySettingsSource("""{"version":1,"enabled":false}"""));
        _armedRatesZero = Primed(new InMemorySettingsSource(EveryRateZero));
        _statusInjected = Primed(new InMemorySettingsSource(StatusAtRateOne));
        _ssmDisarmed = Deployed("""{"version":1,"enabled":false}""");
        _ssmArmedRatesZero = Deployed(EveryRateZero);
        _ssmStatusInjected = Deployed(StatusAtRateOne);
    }

    private const string EveryRateZero = """
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
            """;

    private const string StatusAtRateOne = """
            {"version":1,"enabled":true,"expiresAt":"2099-01-01T00:00:00Z","experimentId":"bench","faults":[
              {"type":"statusCode","rate":1,"statusCode":503}]}
            """;

    /// <summary>A wrapper as FromEnvironment builds it in Lambda: the SSM reader, default TTLs; only the log goes to a null writer.</summary>
    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> Deployed(string settings)
    {
        var reader = new SsmParametersReader(
            "us-east-1", new Uri("https://ssm.us-east-1.amazonaws.com/"), () => new AwsCredentials("AKIDEXAMPLE", "secret", "token"),
            TimeProvider.System, new HttpClient(new InProcessSsm(settings)));
        var wrapper = new ChaosWrapper(
            new SsmSettingsSource(reader, "/serverless-chaos/functions/bench", "/serverless-chaos/halt"),
            new ChaosOptions { LogWriter = TextWriter.Null });
        var decorated = wrapper.Decorate(_bare);
        decorated(_request, _context).GetAwaiter().GetResult();
        return decorated;
    }

    /// <summary>SSM's GetParameters reply for the settings parameter (the halt parameter does not exist), with no network.</summary>
    private sealed class InProcessSsm(string settings) : HttpMessageHandler
    {
        private readonly byte[] _reply = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["Parameters"] = new[] { new Dictionary<string, object> { ["Name"] = "/serverless-chaos/functions/bench", ["Type"] = "String", ["Value"] = settings, ["Version"] = 3 } },
            ["InvalidParameters"] = new[] { "/serverless-chaos/halt" },
        });

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_reply) });
    }

    private Func<WrapperBenchRequest, WrapperBenchContext, Task<WrapperBenchResponse>> Primed(IChaosSettingsSource source)
    {
        // Long lifetimes: the run measures the cached path only (fetches are measured separately).
        var wrapper = new ChaosWrapper(source, new ChaosOptions { ArmedTtl = TimeSpan.FromDays(1), IdleTtl = TimeSpan.FromDays(1), LogWriter = TextWriter.Null });
        var decorated = wrapper.Decorate(_bare);
        decorated(_request, _context).GetAwaiter().GetResult();
        return decorated;
    }

    /// <summary>
    /// Each case run 200 000 times after a warm-up, in two passes (the second tiered up): nanoseconds per call over all
    /// calls, the best of its 100 batches of 2 000 (on a shared machine the batch least disturbed by other processes),
    /// the thread's CPU time per call (without the time other processes held the core), and bytes allocated per call
    /// (exact). No statistics: a quick look while changing code.
    /// </summary>
    public static void Probe(TextWriter output)
    {
        var bench = new WrapperOverheadBenchmarks();
        bench.Setup();
        Measure(output,
        [
            ("Bare", () => bench.Bare().GetAwaiter().GetResult()),
            ("Disarmed", () => bench.Disarmed().GetAwaiter().GetResult()),
            ("ArmedEveryRateZero", () => bench.ArmedEveryRateZero().GetAwaiter().GetResult()),
            ("StatusFaultInjected", () => bench.StatusFaultInjected().GetAwaiter().GetResult()),
            ("SsmDisarmed", () => bench.SsmDisarmed().GetAwaiter().GetResult()),
            ("SsmArmedEveryRateZero", () => bench.SsmArmedEveryRateZero().GetAwaiter().GetResult()),
            ("SsmStatusFaultInjected", () => bench.SsmStatusFaultInjected().GetAwaiter().GetResult()),
        ]);
    }

    /// <summary>
    /// The pieces of an injected status fault measured alone, as <see cref="Probe"/> measures: the response built from
    /// its cached answer, the fault's log line and EMF record (to a null writer), and the whole invocation.
    /// </summary>
    public static void ProbeParts(TextWriter output)
    {
        var bench = new WrapperOverheadBenchmarks();
        bench.Setup();
        var status = (StatusCodeFaultSettings)new ChaosWrapper(new InMemorySettingsSource(StatusAtRateOne)).GetStatusAsync().AsTask().GetAwaiter().GetResult().Settings.Faults[0];
        var results = new TypedResultAdapter<WrapperBenchResponse>(new JsonShapes(null));
        var telemetry = new ChaosTelemetry(TextWriter.Null, TimeProvider.System);
        var who = new InvocationIdentity("bench", "req", "bench");
        Measure(output,
        [
            ("Bare", () => bench.Bare().GetAwaiter().GetResult()),
            ("Response", () => results.TryCreateStatus(status, ChaosOptions.DefaultInjectedHeader, status.Type, out _)),
            ("Telemetry", () => telemetry.FaultInjected(status.Type, who, status.StatusCode, static (json, code) => json.WriteNumber("statusCode", code))),
            ("StatusFaultInjected", () => bench.StatusFaultInjected().GetAwaiter().GetResult()),
        ]);
    }

    private static void Measure(TextWriter output, (string Name, Action Run)[] cases)
    {
        const int Batches = 100;
        const int BatchCalls = 2_000;
        const int Calls = Batches * BatchCalls;
        output.WriteLine(FormattableString.Invariant($"{"case",-24} {"mean",10}    {"best batch",10}    {"thread CPU",10}    {"allocated",9}"));
        foreach (var (name, run) in cases.Concat(cases))
        {
            for (var i = 0; i < Calls; i++)
            {
                run();
            }

            var best = double.MaxValue;
            var before = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadCpu.Nanoseconds();
            var total = System.Diagnostics.Stopwatch.StartNew();
            for (var batch = 0; batch < Batches; batch++)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                for (var i = 0; i < BatchCalls; i++)
                {
                    run();
                }

                best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalNanoseconds / BatchCalls);
            }

            total.Stop();
            cpu = ThreadCpu.Nanoseconds() - cpu;
            var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            output.WriteLine(FormattableString.Invariant(
                $"{name,-24} {total.Elapsed.TotalNanoseconds / Calls,10:F1} ns {best,10:F1} ns {(double)cpu / Calls,10:F1} ns {(double)bytes / Calls,8:F0} B"));
        }
    }

    /// <summary>
    /// The calling thread's CPU time (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): unlike the wall clock it does not count
    /// the time other processes held the core; elsewhere 0 (the column then reads 0).
    /// </summary>
    private static class ThreadCpu
    {
        public static long Nanoseconds()
        {
            if (!OperatingSystem.IsLinux())
            {
                return 0;
            }

            ClockGetTime(3, out var time);
            return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out TimeSpec time);

        [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }
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

    [Benchmark]
    public Task<WrapperBenchResponse> SsmDisarmed() => _ssmDisarmed(_request, _context);

    [Benchmark]
    public Task<WrapperBenchResponse> SsmArmedEveryRateZero() => _ssmArmedRatesZero(_request, _context);

    [Benchmark]
    public Task<WrapperBenchResponse> SsmStatusFaultInjected() => _ssmStatusInjected(_request, _context);
}
