using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using ServerlessChaos.Aws;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Orchestrator.Backends.Aws;

/// <summary>
/// How the control functions and the CLI reach AWS: the region and credentials the AWS SDK for .NET resolves
/// (environment, SSO and sso-session, assume-role, credential_process, web identity, container, IMDS),
/// resolved once and shared by the SDK's SSM and SQS clients and by the project's own signed clients
/// (FIS, CloudWatch, Step Functions, which have no SDK package here).
/// </summary>
public sealed class AwsAccess
{
    private readonly Uri? endpoint;

    private AwsAccess(RegionEndpoint region, AWSCredentials credentials, Uri? endpoint)
    {
        Region = region;
        Credentials = credentials;
        this.endpoint = endpoint;
    }

    /// <summary>The region.</summary>
    public RegionEndpoint Region { get; }

    /// <summary>The SDK's credentials (they cache and refresh themselves).</summary>
    public AWSCredentials Credentials { get; }

    /// <summary>
    /// The region (<c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, the profile's <c>region</c>) and the SDK's
    /// default credential chain (<c>AWS_PROFILE</c> selects a profile of <c>~/.aws/config</c>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No region is configured, or no credentials can be found; the message says which.</exception>
    public static AwsAccess FromEnvironment()
    {
        var region = FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new InvalidOperationException("no AWS region is configured: set AWS_REGION (or region in the AWS profile)");
        AWSCredentials credentials;
        try
        {
            credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials();
        }
        catch (AmazonClientException e)
        {
            throw new InvalidOperationException($"no AWS credentials: {e.Message}", e);
        }

        return new AwsAccess(region, credentials, null);
    }

    /// <summary>Explicit region and credentials, and optionally one endpoint for every service (an emulator).</summary>
    public static AwsAccess From(RegionEndpoint region, AWSCredentials credentials, Uri? endpoint = null) => new(region, credentials, endpoint);

    /// <summary>An SSM client (its endpoint honours <c>AWS_ENDPOINT_URL_SSM</c> and <c>AWS_ENDPOINT_URL</c>).</summary>
    public IAmazonSimpleSystemsManagement CreateSsm() =>
        new AmazonSimpleSystemsManagementClient(Credentials, Configure(new AmazonSimpleSystemsManagementConfig()));

    /// <summary>An SQS client (its endpoint honours <c>AWS_ENDPOINT_URL_SQS</c> and <c>AWS_ENDPOINT_URL</c>).</summary>
    public IAmazonSQS CreateSqs() => new AmazonSQSClient(Credentials, Configure(new AmazonSQSConfig()));

    /// <summary>Options for the project's own signed clients, signing with the SDK's credentials.</summary>
    public AwsClientOptions SignedClientOptions() => new()
    {
        Region = Region.SystemName,
        Credentials = new SdkCredentialsProvider(Credentials),
        Endpoint = endpoint,
    };

    private T Configure<T>(T config)
        where T : ClientConfig
    {
        if (endpoint is null)
        {
            config.RegionEndpoint = Region;
        }
        else
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = Region.SystemName;
        }

        return config;
    }

    /// <summary>Adapts the SDK's credentials to the signer's.</summary>
    private sealed class SdkCredentialsProvider(AWSCredentials credentials) : IAwsCredentialsProvider
    {
        public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            ImmutableCredentials resolved;
            try
            {
                resolved = await credentials.GetCredentialsAsync().ConfigureAwait(false);
            }
            catch (AmazonClientException e)
            {
                throw new AwsCredentialsException($"the AWS SDK could not get credentials: {e.Message}", e);
            }

            return new AwsCredentials(resolved.AccessKey, resolved.SecretKey, resolved.Token);
        }
    }
}
