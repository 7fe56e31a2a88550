namespace ServerlessChaos.Orchestrator.Backends;

/// <summary>A parameter's value and what it takes to write it back exactly as it was.</summary>
/// <param name="Name">The full name, e.g. <c>/serverless-chaos/functions/checkout</c>.</param>
/// <param name="Value">The value, decrypted for a <c>SecureString</c>.</param>
public sealed record StoredParameter(string Name, string Value)
{
    /// <summary><c>String</c>, <c>StringList</c> or <c>SecureString</c> (see <see cref="ParameterTypes"/>). Defaults to <c>String</c>.</summary>
    public string Type { get; init; } = ParameterTypes.String;

    /// <summary>The KMS key of a <c>SecureString</c>; null means the account's default key (<c>alias/aws/ssm</c>).</summary>
    public string? KeyId { get; init; }

    /// <summary><c>Standard</c> or <c>Advanced</c> (see <see cref="ParameterTiers"/>). Defaults to <c>Standard</c>.</summary>
    public string Tier { get; init; } = ParameterTiers.Standard;
}

/// <summary>The parameter types of SSM Parameter Store.</summary>
public static class ParameterTypes
{
    /// <summary>Plain text.</summary>
    public const string String = "String";

    /// <summary>Comma-separated values.</summary>
    public const string StringList = "StringList";

    /// <summary>Text encrypted with a KMS key.</summary>
    public const string SecureString = "SecureString";

    /// <summary>Whether <paramref name="type"/> is one of the three.</summary>
    public static bool IsKnown(string type) => type is String or StringList or SecureString;
}

/// <summary>The parameter tiers of SSM Parameter Store.</summary>
public static class ParameterTiers
{
    /// <summary>Values up to 4 KB, no charge.</summary>
    public const string Standard = "Standard";

    /// <summary>Values up to 8 KB, charged per parameter; an Advanced parameter cannot go back to Standard (only be deleted).</summary>
    public const string Advanced = "Advanced";
}
