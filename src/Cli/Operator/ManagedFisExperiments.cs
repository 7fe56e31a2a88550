using ServerlessChaos.Aws.Fis;

namespace ServerlessChaos.Cli.Operator;

/// <summary>The FIS experiments this project started (tag <c>serverless-chaos:managed=true</c>) that are still going.</summary>
internal static class ManagedFisExperiments
{
    /// <summary>Every managed experiment that is pending, initiating or running.</summary>
    public static async Task<IReadOnlyList<FisExperiment>> RunningAsync(FisClient fis, CancellationToken cancellationToken)
    {
        List<FisExperiment> found = [];
        await foreach (var x in fis.ListExperimentsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var managed = x.Tags.TryGetValue(ChaosConventions.ManagedTagKey, out var value) && string.Equals(value, ChaosConventions.ManagedTagValue, StringComparison.OrdinalIgnoreCase);
            if (managed && x.State.Status is FisExperimentStatus.Pending or FisExperimentStatus.Initiating or FisExperimentStatus.Running)
            {
                found.Add(x);
            }
        }

        return found;
    }
}
