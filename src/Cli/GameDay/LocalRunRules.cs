using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>
/// What a valid experiment must also be for a local game day to run it honestly: every wrapper fault aimed at a
/// function this game day serves and injecting something, probes sent only to this machine (unless the user says
/// otherwise), and a duration the local run can finish with its rollback shown.
/// </summary>
internal static class LocalRunRules
{
    /// <summary>Every problem, each naming its field; empty when the game day can run the experiment.</summary>
    /// <param name="experiment">The experiment, already valid for the state machine.</param>
    /// <param name="options">The game day's settings (served parameters, hard limit, baseline, remote targets).</param>
    public static IReadOnlyList<string> Problems(Experiment experiment, GameDayOptions options)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(options);
        var c = CultureInfo.InvariantCulture;
        var problems = new List<string>();
        for (var i = 0; i < experiment.Faults.Count; i++)
        {
            var fault = experiment.Faults[i];
            if (fault.Wrapper is { } wrapper)
            {
                if (!options.ServedParameters.Contains(wrapper.Parameter, StringComparer.Ordinal))
                {
                    problems.Add(string.Create(c, $"faults[{i}].wrapper.parameter is {wrapper.Parameter}, which no function of this game day reads (it serves {string.Join(", ", options.ServedParameters)}): the fault would inject nothing"));
                }

                if (wrapper.Settings["faults"] is not JsonArray { Count: > 0 })
                {
                    problems.Add(string.Create(c, $"faults[{i}].wrapper.settings.faults is empty: the game day would inject nothing"));
                }
            }

            if (fault.HttpLoad is { } probe && !options.AllowRemoteTargets && !IsLoopback(probe.Url))
            {
                problems.Add(string.Create(c, $"faults[{i}].httpLoad.url {probe.Url} is not on 127.0.0.1 or localhost: a local game day sends traffic only to this machine (pass --allow-remote-targets to send it there anyway, or run the experiment with `chaos start` against a deployed stack)"));
            }
        }

        var coolDown = options.CoolDown ?? options.Alarms.Max(a => a.Period);
        var overhead = options.MaxBaseline + TimeSpan.FromSeconds(experiment.Hypothesis.RecoveryWindowSeconds) + coolDown + RunMargin;
        var longest = options.HardLimit - overhead;
        if (TimeSpan.FromSeconds(experiment.DurationSeconds) > longest)
        {
            problems.Add(string.Create(c, $"durationSeconds is {experiment.DurationSeconds}, more than a local game day can run: it stops after {options.HardLimit.TotalMinutes:0} min, and baseline, recovery window and cool-down need {overhead.TotalSeconds:0} s of that, so at most {Math.Max(0, (int)longest.TotalSeconds)} s (run longer experiments with `chaos start` against a deployed stack)"));
        }

        return problems;
    }

    /// <summary>
    /// The problem with a plan whose experiments fit the local run one by one but not one after another, or null:
    /// each needs its duration plus baseline, recovery window, cool-down and the state machine's own steps.
    /// </summary>
    public static string? PlanProblem(IReadOnlyList<Experiment> experiments, GameDayOptions options)
    {
        ArgumentNullException.ThrowIfNull(experiments);
        ArgumentNullException.ThrowIfNull(options);
        if (experiments.Count < 2)
        {
            return null;
        }

        var coolDown = options.CoolDown ?? options.Alarms.Max(a => a.Period);
        var needed = experiments.Aggregate(TimeSpan.Zero, (sum, e) => sum + options.MaxBaseline + TimeSpan.FromSeconds(e.DurationSeconds + e.Hypothesis.RecoveryWindowSeconds) + coolDown + RunMargin);
        return needed <= options.HardLimit
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"experiments: the {experiments.Count} experiments need up to {needed.TotalSeconds:0} s one after another (each its durationSeconds, baseline, recovery window and cool-down), more than a local game day runs ({options.HardLimit.TotalMinutes:0} min): split the plan or shorten them");
    }

    /// <summary>Room for the state machine's own steps (validate, preflight, arm, rollback, report) within the hard limit.</summary>
    public static readonly TimeSpan RunMargin = TimeSpan.FromSeconds(30);

    /// <summary>Whether a URL's host is this machine (127.0.0.0/8, ::1 or localhost).</summary>
    public static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase));
}
