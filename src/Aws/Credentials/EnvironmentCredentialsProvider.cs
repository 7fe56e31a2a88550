using ServerlessChaos.Aws.Configuration;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// <c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c> and <c>AWS_SESSION_TOKEN</c> (what Lambda
/// provides). Read on every call, so a rotated value is picked up.
/// </summary>
public sealed class EnvironmentCredentialsProvider : IAwsCredentialsProvider
{
    private readonly IAwsEnvironment _environment;

    /// <summary>Creates the provider.</summary>
    public EnvironmentCredentialsProvider(IAwsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _environment = environment;
    }

    /// <summary>True when the access key id variable is set.</summary>
    public static bool IsConfigured(IAwsEnvironment environment) => environment.GetVariable("AWS_ACCESS_KEY_ID") is not null;

    /// <inheritdoc />
    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var accessKey = _environment.GetVariable("AWS_ACCESS_KEY_ID")
            ?? throw new AwsCredentialsException("AWS_ACCESS_KEY_ID is not set");
        var secret = _environment.GetVariable("AWS_SECRET_ACCESS_KEY") ?? _environment.GetVariable("AWS_SECRET_KEY")
            ?? throw new AwsCredentialsException("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        var token = _environment.GetVariable("AWS_SESSION_TOKEN") ?? _environment.GetVariable("AWS_SECURITY_TOKEN");
        return ValueTask.FromResult(new AwsCredentials(accessKey, secret, token));
    }
}
