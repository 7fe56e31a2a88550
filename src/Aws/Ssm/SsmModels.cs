namespace ServerlessChaos.Aws.Ssm;

/// <summary>A parameter as Parameter Store returns it.</summary>
public sealed record SsmParameter
{
    /// <summary>The full name, e.g. <c>/serverless-chaos/functions/checkout</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The value (decrypted when asked and allowed).</summary>
    public required string Value { get; init; }

    /// <summary><c>String</c>, <c>StringList</c> or <c>SecureString</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The version, starting at 1 and increasing on every overwrite.</summary>
    public long Version { get; init; }

    /// <summary>When the parameter was last changed, if reported.</summary>
    public DateTimeOffset? LastModifiedDate { get; init; }

    /// <summary>The parameter's ARN, if reported.</summary>
    public string? Arn { get; init; }

    /// <summary>The data type, usually <c>text</c>.</summary>
    public string? DataType { get; init; }
}

/// <summary>The reply of GetParameters: what was found and which names were not.</summary>
/// <param name="Parameters">The parameters found.</param>
/// <param name="InvalidParameters">The names that do not exist (or are not allowed).</param>
public sealed record SsmGetParametersResult(IReadOnlyList<SsmParameter> Parameters, IReadOnlyList<string> InvalidParameters);

/// <summary>What to write with PutParameter.</summary>
public sealed record SsmPutParameterRequest
{
    /// <summary>The full name.</summary>
    public required string Name { get; init; }

    /// <summary>The value.</summary>
    public required string Value { get; init; }

    /// <summary><c>String</c> (default), <c>StringList</c> or <c>SecureString</c>.</summary>
    public string Type { get; init; } = "String";

    /// <summary>Replace an existing parameter. Defaults to false (an existing one gives <c>ParameterAlreadyExists</c>).</summary>
    public bool Overwrite { get; init; }

    /// <summary>An optional description.</summary>
    public string? Description { get; init; }
}
