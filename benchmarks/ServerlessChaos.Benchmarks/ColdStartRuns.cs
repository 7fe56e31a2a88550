using System.Diagnostics;
using System.Globalization;

namespace ServerlessChaos.Benchmarks;

/// <summary>
/// The wrapper's share of the first invocation, side by side with the bare handler: <c>runs</c> fresh processes of
/// <c>benchmarks/ColdStartFunction</c> per case (bare, disarmed, armed; each fully cold and with System.Text.Json warm),
/// interleaved so load on the machine hits every case alike. Each process times its own first invocation; the share
/// is the case's median minus the bare handler's median in the same condition.
/// </summary>
public static class ColdStartRuns
{
    private static readonly string[] Modes = ["bare", "disarmed", "armed"];
    private static readonly string[] Warmth = ["", "json-warm"];

    /// <param name="output">Where the table goes.</param>
    /// <param name="runs">Processes per case.</param>
    /// <param name="command">The function: <c>dotnet</c> (then <paramref name="prefix"/> is its dll) or the AOT executable.</param>
    /// <param name="prefix">Arguments before the mode.</param>
    public static void Run(TextWriter output, int runs, string command, string[] prefix)
    {
        var samples = new Dictionary<(string Mode, string Warm), List<double>>();
        for (var run = 0; run < runs; run++)
        {
            foreach (var warm in Warmth)
            {
                foreach (var mode in Modes)
                {
                    var key = (mode, warm);
                    if (!samples.TryGetValue(key, out var list))
                    {
                        samples[key] = list = [];
                    }

                    list.Add(Once(command, [.. prefix, mode, .. warm.Length > 0 ? new[] { warm } : []]) / 1000.0);
                }
            }
        }

        output.WriteLine($"{command} {string.Join(' ', prefix)}: {runs} fresh processes per case, first invocation in ms (median; wrapper share = case - bare)");
        output.WriteLine("| System.Text.Json | bare | disarmed | share | armed (latency + conditional status fired) | share |");
        output.WriteLine("|---|---|---|---|---|---|");
        foreach (var warm in Warmth)
        {
            var bare = Median(samples[("bare", warm)]);
            var disarmed = Median(samples[("disarmed", warm)]);
            var armed = Median(samples[("armed", warm)]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {(warm.Length > 0 ? "already warm" : "cold")} | {bare:F2} | {disarmed:F2} | {disarmed - bare:F2} | {armed:F2} | {armed - bare:F2} |"));
        }
    }

    private static double Once(string command, string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing from the caller's AWS setup reaches the function (it reads nothing from AWS anyway).
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal) || k.StartsWith("SERVERLESS_CHAOS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {command}");
        var text = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 && double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var microseconds)
            ? microseconds
            : throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Trim()}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
