using ServerlessChaos.Aws.Configuration;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// ECS (and EKS Pod Identity) container credentials: <c>GET http://169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c>,
/// or <c>GET $AWS_CONTAINER_CREDENTIALS_FULL_URI</c> with the <c>Authorization</c> header from
/// <c>AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE</c> (read on every fetch) or <c>AWS_CONTAINER_AUTHORIZATION_TOKEN</c>.
/// </summary>
public sealed class ContainerCredentialsProvider : IAwsCredentialsProvider
{
    private const string Source = "ECS container credentials";
    private readonly IAwsEnvironment _environment;
    private readonly Lazy<HttpClient> _http;

    private ContainerCredentialsProvider(IAwsEnvironment environment, Uri uri, Lazy<HttpClient> http)
    {
        _environment = environment;
        Uri = uri;
        _http = http;
    }

    /// <summary>The URL credentials are fetched from.</summary>
    public Uri Uri { get; }

    /// <summary>The time each fetch may take. Defaults to 5 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The provider when the container variables are set, else null.</summary>
    /// <exception cref="AwsCredentialsException">A full URI is not allowed (not https and not a local address).</exception>
    public static ContainerCredentialsProvider? TryCreate(IAwsEnvironment environment, HttpMessageHandler? handler = null) =>
        TryCreate(environment, new Lazy<HttpClient>(() => handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false)));

    internal static ContainerCredentialsProvider? TryCreate(IAwsEnvironment environment, Lazy<HttpClient> http)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var relative = environment.GetVariable("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
        if (relative is not null)
        {
            return new ContainerCredentialsProvider(environment, new Uri("http://169.254.170.2" + (relative.StartsWith('/') ? relative : "/" + relative)), http);
        }

        var full = environment.GetVariable("AWS_CONTAINER_CREDENTIALS_FULL_URI");
        if (full is null)
        {
            return null;
        }

        if (!Uri.TryCreate(full, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new AwsCredentialsException($"AWS_CONTAINER_CREDENTIALS_FULL_URI must be an absolute http(s) URL (was '{full}')");
        }

        // Plain http only to addresses that cannot leave the machine or task (as the AWS SDKs require).
        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback && uri.Host is not "169.254.170.2" and not "169.254.170.23" and not "[fd00:ec2::23]")
        {
            throw new AwsCredentialsException($"AWS_CONTAINER_CREDENTIALS_FULL_URI over plain http must point at a loopback or ECS/EKS address (was '{full}')");
        }

        return new ContainerCredentialsProvider(environment, uri, http);
    }

    /// <inheritdoc />
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Uri);
        var token = ReadToken();
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", token);
        }

        var body = await CredentialsHttp.SendAsync(_http.Value, request, Timeout, Source, cancellationToken).ConfigureAwait(false);
        return CredentialsHttp.ParseJsonCredentials(body, Source);
    }

    private string? ReadToken()
    {
        var file = _environment.GetVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
        if (file is not null)
        {
            var text = _environment.ReadFileIfExists(file)
                ?? throw new AwsCredentialsException($"{Source}: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE names a file that does not exist ('{file}')");
            return text.Trim();
        }

        return _environment.GetVariable("AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
}
