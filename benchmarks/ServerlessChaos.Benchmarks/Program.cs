using BenchmarkDotNet.Running;
using ServerlessChaos.Benchmarks;

// The wrapper's measured simulations (hand-moved clock) run outside BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--wrapper-simulations")
{
    WrapperSimulations.Run(Console.Out);
    return;
}

// The wrapper's cold start: fresh processes of benchmarks/ColdStartFunction, bare vs decorated.
if (args.Length > 2 && args[0] == "--wrapper-cold-start")
{
    ColdStartRuns.Run(Console.Out, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2], args[3..]);
    return;
}

if (args.Length > 2 && args[0] == "--settings-read-cold-start")
{
    SettingsReadColdStartRuns.Run(Console.Out, int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture), args[2]);
    return;
}

// A quick look at the wrapper's per-invocation cases while changing code (BenchmarkDotNet gives the figures).
if (args.Length > 0 && args[0] == "--wrapper-probe")
{
    WrapperOverheadBenchmarks.Probe(Console.Out);
    return;
}

// The same injected fault's pieces (response, telemetry) measured alone.
if (args.Length > 0 && args[0] == "--wrapper-probe-parts")
{
    WrapperOverheadBenchmarks.ProbeParts(Console.Out);
    return;
}

// Every benchmark class in this assembly; pick with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
