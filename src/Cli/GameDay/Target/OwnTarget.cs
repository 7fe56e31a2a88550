using ServerlessChaos.Cli.GameDay.Plan;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>
/// What <c>chaos gameday --target &lt;file&gt;</c> takes from a game-day file (the plan format, <see cref="PlanFile"/>):
/// its <c>target</c> section (<see cref="TargetSpec"/>), its load, its alarm file, and its experiment.
/// </summary>
/// <param name="Spec">Your service.</param>
/// <param name="Load">The plan's steady load, or null for the command line's rate on the sample's requests.</param>
/// <param name="AlarmsPath">The plan's alarm file, or null.</param>
/// <param name="ExperimentPath">The plan's experiment file when it has exactly one, else null (name it on the command line).</param>
internal sealed record OwnTarget(TargetSpec Spec, PlanLoad? Load, string? AlarmsPath, string? ExperimentPath)
{
    /// <summary>Reads the game-day file at <paramref name="path"/>; it must have a <c>target</c> section.</summary>
    /// <exception cref="CliException">The file or its target section has problems, each named.</exception>
    public static OwnTarget Read(string path, bool allowRemote)
    {
        var plan = PlanFile.Read(path);
        if (plan.Target is null)
        {
            throw new CliException($"{path} has no target section: --target needs one naming your service (url or command, and parameters)");
        }

        var spec = TargetSpec.Parse(plan.Target, path, Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", allowRemote);
        var single = plan.Experiments.Count == 1 && File.Exists(plan.Experiments[0].Source) ? plan.Experiments[0].Source : null;
        return new OwnTarget(spec, plan.Load, plan.AlarmsPath, single);
    }
}
