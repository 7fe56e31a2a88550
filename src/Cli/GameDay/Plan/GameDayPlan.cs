using System.Text.Json.Nodes;

namespace ServerlessChaos.Cli.GameDay.Plan;

/// <summary>
/// A game day as a plan: experiments run in order against one service under one steady load, with a
/// steady-state check between them. Built by <see cref="PlanFile"/> (or <see cref="Single"/> for one experiment file).
/// </summary>
internal sealed class GameDayPlan
{
    /// <summary>The default steady-state wait between experiments: 30 s.</summary>
    public static readonly TimeSpan DefaultSteadyStateTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The plan's name (a single experiment's run uses the experiment's file name).</summary>
    public required string Name { get; init; }

    /// <summary>Free text for the report.</summary>
    public string? Description { get; init; }

    /// <summary>The plan file, or the experiment file of a single-experiment run.</summary>
    public required string Source { get; init; }

    /// <summary>The experiments, in the order they run.</summary>
    public required IReadOnlyList<PlanExperiment> Experiments { get; init; }

    /// <summary>The steady load, when the plan sets it; otherwise the command line's rate on <c>GET /orders/{n}</c>.</summary>
    public PlanLoad? Load { get; init; }

    /// <summary>The alarm file (absolute path), when the plan names one; <c>--alarms</c> overrides it.</summary>
    public string? AlarmsPath { get; init; }

    /// <summary>The local ECS-style service to serve the sample API with, when the plan asks for one.</summary>
    public PlanService? Service { get; init; }

    /// <summary>
    /// The plan's <c>target</c> section (your own service), untouched: it is read by its own parser, not here.
    /// Null when the plan has none (the bundled sample API is the target).
    /// </summary>
    public JsonObject? Target { get; init; }

    /// <summary>The longest wait for every alarm to be OK before an experiment starts. Defaults to 30 s.</summary>
    public TimeSpan SteadyStateTimeout { get; init; } = DefaultSteadyStateTimeout;

    /// <summary>A plan of one experiment file, as <c>chaos gameday experiment.json</c> runs it.</summary>
    public static GameDayPlan Single(string experimentPath)
    {
        if (!File.Exists(experimentPath))
        {
            throw new CliException($"experiment file {experimentPath} does not exist");
        }

        return new GameDayPlan
        {
            Name = Path.GetFileNameWithoutExtension(experimentPath),
            Source = experimentPath,
            Experiments = [new PlanExperiment(experimentPath, File.ReadAllText(experimentPath))],
        };
    }
}

/// <summary>One experiment of a plan.</summary>
/// <param name="Source">Where it came from, for errors: its file, or <c>plan.json experiments[2]</c> for an inline one.</param>
/// <param name="Text">The experiment document's JSON text.</param>
internal sealed record PlanExperiment(string Source, string Text);

/// <summary>The steady load of a plan: a rate and the requests it cycles through.</summary>
/// <param name="RatePerSecond">Requests per second.</param>
/// <param name="Requests">The requests, sent in turn; a path's <c>{n}</c> becomes the request number modulo 100.</param>
internal sealed record PlanLoad(double RatePerSecond, IReadOnlyList<PlanRequest> Requests);

/// <summary>One request of the steady load.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path, starting with '/'.</param>
internal sealed record PlanRequest(string Method, string Path);

/// <summary>A local ECS-style service: task hosts behind a round-robin front, as ECS with an ALB runs them.</summary>
/// <param name="Tasks">How many tasks the service keeps running (its desired count).</param>
/// <param name="ReplacementDelay">How long after a task stops the service has a replacement serving.</param>
/// <param name="HealthCheckInterval">How often the front checks each task.</param>
/// <param name="UnhealthyThreshold">Failed checks in a row before the front stops routing to a task.</param>
internal sealed record PlanService(int Tasks, TimeSpan ReplacementDelay, TimeSpan HealthCheckInterval, int UnhealthyThreshold)
{
    /// <summary>Three tasks, a replacement after 5 s, checks every 0.5 s, unhealthy after 2 failures.</summary>
    public static PlanService Default { get; } = new(3, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(500), 2);
}
