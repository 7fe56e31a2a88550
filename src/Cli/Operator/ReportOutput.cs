using ServerlessChaos.Cli.Commands;
using ServerlessChaos.Orchestrator.Operations;

namespace ServerlessChaos.Cli.Operator;

/// <summary>How the best-effort commands (halt, disarm) print what they do: a line per action as it happens, then a summary.</summary>
internal static class ReportOutput
{
    /// <summary>A listener printing each action: done and nothing-to-do lines to the output, failures to the error stream.</summary>
    public static Action<OperatorAction> Printer(CliContext context) => action =>
    {
        if (action.Outcome == ActionOutcome.Failed)
        {
            context.Error.WriteLine($"chaos: could not {ServerText.Clean(action.Text)}: {ServerText.Clean(action.Error)}");
        }
        else
        {
            context.Out.WriteLine(Sentence(ServerText.Clean(action.Text)));
        }
    };

    /// <summary>
    /// The closing lines: the summary, and every failure again so none scrolls away. Returns the exit code:
    /// <see cref="ChaosCli.Ok"/> when everything was done, <see cref="ChaosCli.Error"/> when anything failed.
    /// </summary>
    public static async Task<int> SummaryAsync(CliContext context, OperatorReport report, string complete, string again)
    {
        var done = report.Actions.Count(a => a.Outcome == ActionOutcome.Done);
        var failures = report.Failures.ToList();
        if (failures.Count == 0)
        {
            await context.Out.WriteLineAsync(complete).ConfigureAwait(false);
            return ChaosCli.Ok;
        }

        await context.Out.WriteLineAsync($"Incomplete: {done} done, {failures.Count} failed; {again}").ConfigureAwait(false);
        foreach (var f in failures)
        {
            await context.Out.WriteLineAsync($"  FAILED: {ServerText.Clean(f.Text)}: {ServerText.Clean(f.Error)}").ConfigureAwait(false);
        }

        return ChaosCli.Error;
    }

    private static string Sentence(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
