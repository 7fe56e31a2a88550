using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Aws.Sqs;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Orchestrator.Backends.Aws;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Backends.Probes;

namespace ServerlessChaos.Orchestrator.Backends;

/// <summary>Builds the backends <c>SERVERLESS_CHAOS_BACKEND</c> names: <c>aws</c> (the shared signed clients) or <c>local</c>.</summary>
public static class BackendsFactory
{
    /// <summary>Creates the backends for these options.</summary>
    /// <exception cref="InvalidOperationException">The backend name is unknown, or <c>local</c> without a state folder.</exception>
    public static ControlPlaneBackends Create(ControlPlaneOptions options, TimeProvider time)
    {
        switch (options.Backend)
        {
            case "aws":
                return new ControlPlaneBackends(
                    new AwsParameterStore(SsmClient.FromEnvironment()),
                    new AwsAlarmSource(CloudWatchClient.FromEnvironment()),
                    new AwsFisService(FisClient.FromEnvironment()),
                    new AwsDeadLetterQueue(SqsClient.FromEnvironment(), options.DeadLetterQueueUrl),
                    new HttpLoadProbeRunner(new HttpClient(), time));
            case "local":
                if (string.IsNullOrEmpty(options.LocalStateFolder))
                {
                    throw new InvalidOperationException("SERVERLESS_CHAOS_BACKEND is local but SERVERLESS_CHAOS_LOCAL_STATE (the state folder) is not set");
                }

                return new LocalBackends(options.LocalStateFolder, time).ToControlPlaneBackends();
            default:
                throw new InvalidOperationException($"SERVERLESS_CHAOS_BACKEND must be aws or local (was \"{options.Backend}\")");
        }
    }
}
