using ServerlessChaos.Aws.Configuration;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// Keys of a profile in the shared files (<c>aws_access_key_id</c>, <c>aws_secret_access_key</c>,
/// <c>aws_session_token</c>); the profile is <c>AWS_PROFILE</c> or <c>default</c>.
/// </summary>
public sealed class ProfileCredentialsProvider : IAwsCredentialsProvider
{
    private readonly IAwsEnvironment _environment;
    private readonly string _profile;

    /// <summary>Creates the provider for a profile (null: <c>AWS_PROFILE</c> or <c>default</c>).</summary>
    public ProfileCredentialsProvider(IAwsEnvironment environment, string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
        _profile = profile ?? SharedConfigFiles.ActiveProfileName(environment);
    }

    /// <summary>True when the profile has an access key id.</summary>
    public static bool IsConfigured(SharedConfigFiles files, string profile) => files.GetProfileSetting(profile, "aws_access_key_id") is not null;

    /// <inheritdoc />
    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var files = SharedConfigFiles.Load(_environment);
        if (!files.HasProfile(_profile))
        {
            throw new AwsCredentialsException($"the AWS profile '{_profile}' is not in the shared credentials or config file");
        }

        var accessKey = files.GetProfileSetting(_profile, "aws_access_key_id")
            ?? throw new AwsCredentialsException($"the AWS profile '{_profile}' has no aws_access_key_id (role, SSO and process profiles are not supported)");
        var secret = files.GetProfileSetting(_profile, "aws_secret_access_key")
            ?? throw new AwsCredentialsException($"the AWS profile '{_profile}' has aws_access_key_id but no aws_secret_access_key");
        return ValueTask.FromResult(new AwsCredentials(accessKey, secret, files.GetProfileSetting(_profile, "aws_session_token")));
    }
}
