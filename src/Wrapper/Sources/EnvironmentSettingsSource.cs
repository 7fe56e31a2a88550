namespace ServerlessChaos.Wrapper.Sources;

/// <summary>Settings from environment variables (read on every fetch, so a test host may change them).</summary>
internal sealed class EnvironmentSettingsSource : IChaosSettingsSource
{
    /// <summary>Default variable holding the settings document.</summary>
    public const string DefaultVariable = "SERVERLESS_CHAOS_SETTINGS";

    private readonly string _variable;
    private readonly string? _haltVariable;
    private readonly Func<string, string?> _read;

    /// <summary>Reads the document from <paramref name="variable"/> and, optionally, the halt value from <paramref name="haltVariable"/>.</summary>
    /// <param name="variable">The variable holding the settings document.</param>
    /// <param name="haltVariable">The variable holding the halt value, if any.</param>
    /// <param name="read">Reads a variable; defaults to the process environment.</param>
    public EnvironmentSettingsSource(string variable = DefaultVariable, string? haltVariable = null, Func<string, string?>? read = null)
    {
        _variable = variable;
        _haltVariable = haltVariable;
        _read = read ?? ChaosWrapper.ProcessVariable;
    }

    /// <inheritdoc />
    public string Description => $"env:{_variable}";

    /// <inheritdoc />
    public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken) =>
        new(new SettingsDocument(
            _read(_variable),
            _haltVariable is null ? null : _read(_haltVariable)));
}
