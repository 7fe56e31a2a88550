using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Orchestrator.Backends.Aws;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Backends.Probes;

namespace ServerlessChaos.Orchestrator.Backends;

/// <summary>Builds the backends <c>SERVERLESS_CHAOS_BACKEND</c> names: <c>aws</c> (the AWS SDK and the signed clients) or <c>local</c>.</summary>
public static class BackendsFactory
{
    /// <summary>Creates the backends for these options.</summary>
    /// <exception cref="InvalidOperationException">The backend name is unknown, or <c>local</c> without a state folder.</exception>
    public static ControlPlaneBackends Create(ControlPlaneOptions options, TimeProvider time)
    {
        switch (options.Backend)
        {
            case "aws":
                return ForAws(AwsAccess.FromEnvironment(), options, time);
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

    /// <summary>The AWS backends: SSM and SQS through the SDK, FIS and CloudWatch through the signed clients, all with one set of credentials.</summary>
    public static ControlPlaneBackends ForAws(AwsAccess aws, ControlPlaneOptions options, TimeProvider time)
    {
        var signed = aws.SignedClientOptions();
        return new ControlPlaneBackends(
            new AwsParameterStore(aws.CreateSsm()),
            new AwsAlarmSource(new CloudWatchClient(signed)),
            new AwsFisService(new FisClient(signed)),
            new AwsDeadLetterQueue(aws.CreateSqs(), options.DeadLetterQueueUrl),
            new HttpLoadProbeRunner(new HttpClient(), time));
    }
}
