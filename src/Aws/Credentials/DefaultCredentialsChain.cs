using ServerlessChaos.Aws.Configuration;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// Credentials resolved the way the AWS tools resolve them, first configured source wins:
/// environment variables; the shared files' profile (<c>AWS_PROFILE</c>); web identity
/// (<c>AWS_WEB_IDENTITY_TOKEN_FILE</c> + <c>AWS_ROLE_ARN</c>, or the profile's
/// <c>web_identity_token_file</c> + <c>role_arn</c>); ECS container credentials
/// (<c>AWS_CONTAINER_CREDENTIALS_RELATIVE_URI</c> / <c>_FULL_URI</c>); EC2 instance metadata (IMDSv2,
/// unless <c>AWS_EC2_METADATA_DISABLED=true</c>). The source is chosen once; temporary credentials
/// are cached until shortly before they expire.
/// </summary>
public sealed class DefaultCredentialsChain : IAwsCredentialsProvider
{
    private readonly IAwsEnvironment _environment;
    private readonly string? _region;
    private readonly HttpMessageHandler? _handler;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _choose = new(1, 1);
    private IAwsCredentialsProvider? _chosen;

    /// <summary>Creates the chain.</summary>
    /// <param name="environment">Where variables and files are read.</param>
    /// <param name="region">The region, for STS (web identity).</param>
    /// <param name="httpMessageHandler">Sends the STS, ECS and IMDS requests (tests pass a local one); defaults to a new one.</param>
    /// <param name="timeProvider">The clock for expiry. Defaults to <see cref="TimeProvider.System"/>.</param>
    public DefaultCredentialsChain(IAwsEnvironment environment, string? region = null, HttpMessageHandler? httpMessageHandler = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _region = region;
        _handler = httpMessageHandler;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The name of the source that was chosen, once credentials were first asked for.</summary>
    public string? ChosenSource { get; private set; }

    /// <inheritdoc />
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var chosen = _chosen;
        if (chosen is null)
        {
            await _choose.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                chosen = _chosen ??= Choose();
            }
            finally
            {
                _choose.Release();
            }
        }

        return await chosen.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
    }

    private IAwsCredentialsProvider Choose()
    {
        if (EnvironmentCredentialsProvider.IsConfigured(_environment))
        {
            ChosenSource = "environment";
            return new EnvironmentCredentialsProvider(_environment);
        }

        var files = SharedConfigFiles.Load(_environment);
        var profile = SharedConfigFiles.ActiveProfileName(_environment);
        if (ProfileCredentialsProvider.IsConfigured(files, profile))
        {
            ChosenSource = "profile";
            return new ProfileCredentialsProvider(_environment, profile);
        }

        var http = new Lazy<HttpClient>(() => _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false));
        if (WebIdentityCredentialsProvider.TryCreate(_environment, files, profile, _region, http, _timeProvider) is { } webIdentity)
        {
            ChosenSource = "web identity";
            return new CachingCredentialsProvider(webIdentity, _timeProvider);
        }

        if (ContainerCredentialsProvider.TryCreate(_environment, http) is { } container)
        {
            ChosenSource = "container";
            return new CachingCredentialsProvider(container, _timeProvider);
        }

        if (InstanceMetadataCredentialsProvider.TryCreate(_environment, http) is { } instance)
        {
            ChosenSource = "instance metadata";
            return new CachingCredentialsProvider(instance, _timeProvider);
        }

        if (files.HasProfile(profile) || _environment.GetVariable("AWS_PROFILE") is not null)
        {
            // Say why the named profile did not work rather than "nothing found".
            ChosenSource = "profile";
            return new ProfileCredentialsProvider(_environment, profile);
        }

        throw new AwsCredentialsException(
            "no AWS credentials found: set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, configure a profile in ~/.aws/credentials (AWS_PROFILE), "
            + "or run where web identity, ECS container or EC2 instance credentials are available (EC2 metadata is disabled by AWS_EC2_METADATA_DISABLED)");
    }
}
