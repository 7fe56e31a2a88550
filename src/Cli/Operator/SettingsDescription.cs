using System.Globalization;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Operator;

/// <summary>One line per fault, for <c>chaos status</c> and <c>chaos arm</c>.</summary>
internal static class SettingsDescription
{
    /// <summary>Describes one fault: <c>latency 200-800 ms on 20% of invocations</c>.</summary>
    public static string Describe(FaultSettings fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var c = CultureInfo.InvariantCulture;
        var what = fault switch
        {
            LatencyFaultSettings l => l.MinMs == l.MaxMs ? string.Create(c, $"latency {l.MinMs} ms") : string.Create(c, $"latency {l.MinMs}-{l.MaxMs} ms"),
            StatusCodeFaultSettings s => string.Create(c, $"status code {s.StatusCode}"),
            ExceptionFaultSettings e => $"exception {e.ExceptionType}",
            DependencyFaultSettings d => string.Create(c, $"dependency {d.Kind.ToString().ToLowerInvariant()} fault on {string.Join(", ", d.Hosts.Select(h => h.Text))}"),
            ClockSkewFaultSettings k => k.DriftMs == 0 ? string.Create(c, $"clock skew {k.OffsetMs:+0;-0} ms") : string.Create(c, $"clock skew {k.OffsetMs:+0;-0} ms drifting {k.DriftMs:+0;-0} ms per hit"),
            DuplicateRecordsFaultSettings d => d.Mode == DuplicateMode.Batch ? "duplicate batch" : string.Create(c, $"duplicate {d.Share * 100:0.##}% of records"),
            ReorderRecordsFaultSettings r => r.Order == RecordOrder.Reverse ? "reverse records" : "shuffle records",
            DelayRecordsFaultSettings d => string.Create(c, $"delay {d.Share * 100:0.##}% of records"),
            CorruptionFaultSettings b => b.Body is null ? "corrupt the response body (garbled)" : "replace the response body",
            _ => fault.Type,
        };
        var dryRun = fault.DryRun ? " (dry run: logged and counted, not injected)" : "";
        return string.Create(c, $"{what} on {fault.Rate * 100:0.##}% of invocations{dryRun}");
    }
}
