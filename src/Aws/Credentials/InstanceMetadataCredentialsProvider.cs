using ServerlessChaos.Aws.Configuration;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// EC2 instance role credentials over IMDSv2: <c>PUT /latest/api/token</c>, then with that token
/// <c>GET /latest/meta-data/iam/security-credentials/</c> (the role name) and
/// <c>GET .../security-credentials/{role}</c>. The endpoint is <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c>
/// or <c>http://169.254.169.254</c>; <c>AWS_EC2_METADATA_DISABLED=true</c> turns it off.
/// </summary>
public sealed class InstanceMetadataCredentialsProvider : IAwsCredentialsProvider
{
    private const string Source = "EC2 instance metadata (IMDSv2)";
    private const string CredentialsPath = "latest/meta-data/iam/security-credentials/";
    private readonly Lazy<HttpClient> _http;

    private InstanceMetadataCredentialsProvider(Uri endpoint, Lazy<HttpClient> http)
    {
        Endpoint = endpoint;
        _http = http;
    }

    /// <summary>The metadata service address.</summary>
    public Uri Endpoint { get; }

    /// <summary>The time each metadata request may take. Defaults to 1 second (the service is local or absent).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The provider, or null when <c>AWS_EC2_METADATA_DISABLED</c> is <c>true</c>.</summary>
    public static InstanceMetadataCredentialsProvider? TryCreate(IAwsEnvironment environment, HttpMessageHandler? handler = null) =>
        TryCreate(environment, new Lazy<HttpClient>(() => handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false)));

    internal static InstanceMetadataCredentialsProvider? TryCreate(IAwsEnvironment environment, Lazy<HttpClient> http)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (string.Equals(environment.GetVariable("AWS_EC2_METADATA_DISABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var configured = environment.GetVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT") ?? "http://169.254.169.254";
        if (!Uri.TryCreate(configured.TrimEnd('/') + "/", UriKind.Absolute, out var endpoint))
        {
            throw new AwsCredentialsException($"AWS_EC2_METADATA_SERVICE_ENDPOINT must be an absolute URL (was '{configured}')");
        }

        return new InstanceMetadataCredentialsProvider(endpoint, http);
    }

    /// <inheritdoc />
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(Endpoint, "latest/api/token"));
        tokenRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token-ttl-seconds", "21600");
        var token = (await CredentialsHttp.SendAsync(_http.Value, tokenRequest, Timeout, Source, cancellationToken).ConfigureAwait(false)).Trim();

        using var roleRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, CredentialsPath));
        roleRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        var roles = await CredentialsHttp.SendAsync(_http.Value, roleRequest, Timeout, Source, cancellationToken).ConfigureAwait(false);
        var role = roles.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()
            ?? throw new AwsCredentialsException($"{Source}: the instance has no IAM role attached");

        using var credentialsRequest = new HttpRequestMessage(HttpMethod.Get, new Uri(Endpoint, CredentialsPath + Uri.EscapeDataString(role)));
        credentialsRequest.Headers.TryAddWithoutValidation("X-aws-ec2-metadata-token", token);
        var body = await CredentialsHttp.SendAsync(_http.Value, credentialsRequest, Timeout, Source, cancellationToken).ConfigureAwait(false);
        return CredentialsHttp.ParseJsonCredentials(body, Source);
    }
}
