using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>How an experiment ended, ordered from best to worst (a plan's verdict is the worst of its experiments').</summary>
public enum Verdict
{
    /// <summary>The hypothesis held: exit code 0.</summary>
    Held,

    /// <summary>The system deviated from the hypothesis (a probe's expectation unmet, no recovery in the window): exit code 1.</summary>
    Deviated,

    /// <summary>The run was aborted (an alarm, a halt, a stopped FIS experiment) or failed: exit code 2.</summary>
    Aborted,
}

/// <summary>
/// The one mapping between the journal's verdict (what the report step writes) and <see cref="Verdict"/>, its
/// names and exit codes; the control functions and the CLI both use it.
/// </summary>
public static class Verdicts
{
    /// <summary>The journal's verdict when the hypothesis held.</summary>
    public const string HeldName = "held";

    /// <summary>The journal's verdict when the system deviated.</summary>
    public const string DeviatedName = "deviated";

    /// <summary>The journal's verdict when the run was stopped early.</summary>
    public const string AbortedName = "aborted";

    /// <summary>The journal's verdict when a step, the FIS experiment or the rollback failed (reported as aborted).</summary>
    public const string FailedName = "failed";

    /// <summary>The exit code a CI pipeline sees: 0 held, 1 deviated, 2 aborted or error.</summary>
    public static int ExitCode(this Verdict verdict) => verdict switch
    {
        Verdict.Held => 0,
        Verdict.Deviated => 1,
        _ => 2,
    };

    /// <summary>The verdict's name in reports: <c>held</c>, <c>deviated</c>, <c>aborted</c>.</summary>
    public static string Name(this Verdict verdict) => verdict switch
    {
        Verdict.Held => HeldName,
        Verdict.Deviated => DeviatedName,
        _ => AbortedName,
    };

    /// <summary>The worst of some verdicts (held when there are none).</summary>
    public static Verdict Worst(IEnumerable<Verdict> verdicts) => verdicts.DefaultIfEmpty(Verdict.Held).Max();

    /// <summary>
    /// The verdict and its reason from a finished execution's journal: <c>held</c> and <c>deviated</c> as they are,
    /// anything else (<c>aborted</c>, <c>failed</c>, none) aborted; the reason is the journal's reasons, or a sentence
    /// saying what the verdict means.
    /// </summary>
    public static (Verdict Verdict, string Reason) FromJournal(JsonNode? journal)
    {
        var text = journal?["verdict"]?.GetValue<string>();
        var reasons = (journal?["reasons"] as JsonArray)?.Select(r => r?.GetValue<string>()).Where(r => !string.IsNullOrEmpty(r)).ToList() ?? [];
        var verdict = text switch
        {
            HeldName => Verdict.Held,
            DeviatedName => Verdict.Deviated,
            _ => Verdict.Aborted,
        };
        var reason = reasons.Count > 0
            ? string.Join("; ", reasons)
            : verdict switch
            {
                Verdict.Held => "every hypothesis alarm stayed OK while the faults were on, and everything was rolled back",
                Verdict.Deviated => "the system did not behave as the hypothesis says",
                _ => $"the state machine reported verdict {text ?? "(none)"}",
            };
        if (verdict == Verdict.Aborted && text is not null and not AbortedName)
        {
            reason = $"verdict {text}: {reason}";
        }

        return (verdict, reason);
    }
}
