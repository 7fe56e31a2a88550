using ServerlessChaos.Aws;
using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Backends.Aws;

/// <summary>CloudWatch alarms through the shared signed client.</summary>
public sealed class AwsAlarmSource(CloudWatchClient cloudWatch) : IAlarmSource
{
    /// <summary>The period assumed for a composite alarm, which has none of its own. Defaults to 60 s.</summary>
    public int CompositeAlarmPeriodSeconds { get; init; } = 60;

    /// <inheritdoc />
    public Task<IReadOnlyList<AlarmStatus>> DescribeAsync(IReadOnlyList<string> names, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<AlarmStatus>>("alarms", "Describe", async () =>
        {
            var alarms = await cloudWatch.DescribeAlarmsAsync(names, includeCompositeAlarms: true, cancellationToken: cancellationToken).ConfigureAwait(false);
            return alarms.Select(a => new AlarmStatus(
                a.Name,
                a.StateValue,
                a.Period ?? CompositeAlarmPeriodSeconds,
                a.EvaluationPeriods ?? 1,
                a.DatapointsToAlarm ?? a.EvaluationPeriods ?? 1,
                a.StateUpdatedTimestamp)).ToList();
        });
}

/// <summary>FIS through the shared signed client. Only starts existing templates.</summary>
public sealed class AwsFisService(FisClient fis) : IFisService
{
    /// <inheritdoc />
    public Task<bool> TemplateExistsAsync(string templateId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("fis", "TemplateExists", async () =>
        {
            try
            {
                await fis.GetExperimentTemplateAsync(templateId, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException" || e.HttpStatus == 404)
            {
                return false;
            }
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindTemplatesByTagAsync(string key, string value, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<string>>("fis", "FindTemplatesByTag", async () =>
        {
            var found = new List<string>();
            await foreach (var template in fis.ListExperimentTemplatesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (template.Tags.TryGetValue(key, out var v) && v == value)
                {
                    found.Add(template.Id);
                }
            }

            return found;
        });

    /// <inheritdoc />
    public Task<string> StartExperimentAsync(FisStartRequest request, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("fis", "StartExperiment", async () => (await fis.StartExperimentAsync(
            new FisStartExperimentRequest
            {
                ExperimentTemplateId = request.TemplateId,
                ClientToken = request.ClientToken,
                Tags = request.Tags,
                ActionsMode = request.ActionsMode,
            },
            cancellationToken).ConfigureAwait(false)).Id);

    /// <inheritdoc />
    public Task<FisExperimentStatus> GetExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("fis", "GetExperiment", async () =>
        {
            var experiment = await fis.GetExperimentAsync(experimentId, cancellationToken).ConfigureAwait(false);
            return new FisExperimentStatus(experiment.State.Status, experiment.State.Reason);
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindExperimentsByTagAsync(string key, string value, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<string>>("fis", "FindExperimentsByTag", async () =>
        {
            var found = new List<string>();
            await foreach (var experiment in fis.ListExperimentsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (experiment.Tags.TryGetValue(key, out var v) && v == value)
                {
                    found.Add(experiment.Id);
                }
            }

            return found;
        });

    /// <inheritdoc />
    public Task StopExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("fis", "StopExperiment", () => fis.StopExperimentAsync(experimentId, cancellationToken));
}
