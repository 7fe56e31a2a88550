namespace ServerlessChaos.Aws.Configuration;

/// <summary>
/// Environment variables from a caller's reader (a Lambda host's injected environment, a test's dictionary);
/// the home directory and files are the real ones, read through the variables given.
/// </summary>
public sealed class VariablesAwsEnvironment : IAwsEnvironment
{
    private readonly Func<string, string?> _variables;

    /// <summary>Reads variables through <paramref name="variables"/>.</summary>
    public VariablesAwsEnvironment(Func<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        _variables = variables;
    }

    /// <inheritdoc />
    public string? GetVariable(string name) => _variables(name) is { Length: > 0 } value ? value : null;

    /// <inheritdoc />
    public string? HomeDirectory => GetVariable("HOME") ?? GetVariable("USERPROFILE");

    /// <inheritdoc />
    public string? ReadFileIfExists(string path) => SystemAwsEnvironment.Instance.ReadFileIfExists(path);
}
