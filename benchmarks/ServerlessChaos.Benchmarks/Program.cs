using BenchmarkDotNet.Running;
using ServerlessChaos.Benchmarks;

// The wrapper's measured simulations (hand-moved clock) run outside BenchmarkDotNet.
if (args.Length > 0 && args[0] == "--wrapper-simulations")
{
    WrapperSimulations.Run(Console.Out);
    return;
}

if (args.Length > 1 && args[0] == "--wrapper-cold-start")
{
    Console.WriteLine(WrapperSimulations.ColdStart(args[1], args.Length > 2 && args[2] == "json-warm"));
    return;
}

// A quick look at the wrapper's per-invocation cases while changing code (BenchmarkDotNet gives the figures).
if (args.Length > 0 && args[0] == "--wrapper-probe")
{
    WrapperOverheadBenchmarks.Probe(Console.Out);
    return;
}

// Every benchmark class in this assembly; pick with --filter.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
