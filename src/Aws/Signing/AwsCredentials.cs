// The signer's credential type lives with the signer, so the signing assembly depends on nothing else.
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
