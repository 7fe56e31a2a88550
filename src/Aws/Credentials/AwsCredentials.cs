namespace ServerlessChaos.Aws.Credentials;

/// <summary>A set of AWS credentials.</summary>
public sealed class AwsCredentials
{
    /// <summary>Creates credentials.</summary>
    /// <param name="accessKeyId">The access key id.</param>
    /// <param name="secretAccessKey">The secret access key.</param>
    /// <param name="sessionToken">The session token of temporary credentials, or null.</param>
    /// <param name="expiration">When temporary credentials expire, or null if they do not.</param>
    public AwsCredentials(string accessKeyId, string secretAccessKey, string? sessionToken = null, DateTimeOffset? expiration = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKeyId);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretAccessKey);
        AccessKeyId = accessKeyId;
        SecretAccessKey = secretAccessKey;
        SessionToken = string.IsNullOrEmpty(sessionToken) ? null : sessionToken;
        Expiration = expiration;
    }

    /// <summary>The access key id.</summary>
    public string AccessKeyId { get; }

    /// <summary>The secret access key.</summary>
    public string SecretAccessKey { get; }

    /// <summary>The session token of temporary credentials, or null.</summary>
    public string? SessionToken { get; }

    /// <summary>When these credentials expire, or null if they do not.</summary>
    public DateTimeOffset? Expiration { get; }

    /// <summary>Shows the access key id only, never the secret.</summary>
    public override string ToString() => $"AwsCredentials({AccessKeyId}, expires {Expiration?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"})";
}

/// <summary>Supplies credentials for each request (a provider may cache and refresh them).</summary>
public interface IAwsCredentialsProvider
{
    /// <summary>Returns credentials valid for a request made now.</summary>
    /// <exception cref="AwsCredentialsException">No credentials could be obtained.</exception>
    ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Always the same credentials.</summary>
public sealed class StaticCredentialsProvider : IAwsCredentialsProvider
{
    private readonly AwsCredentials _credentials;

    /// <summary>Creates the provider.</summary>
    public StaticCredentialsProvider(AwsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        _credentials = credentials;
    }

    /// <summary>Creates the provider from keys.</summary>
    public StaticCredentialsProvider(string accessKeyId, string secretAccessKey, string? sessionToken = null)
        : this(new AwsCredentials(accessKeyId, secretAccessKey, sessionToken))
    {
    }

    /// <inheritdoc />
    public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_credentials);
}
