namespace ServerlessChaos.Wrapper.Sources;

/// <summary>Settings from environment variables (read on every fetch, so a test host may change them).</summary>
public sealed class EnvironmentSettingsSource : IChaosSettingsSource
{
    /// <summary>Default variable holding the settings document.</summary>
    public const string DefaultVariable = "SERVERLESS_CHAOS_SETTINGS";

    private readonly string _variable;
    private readonly string? _haltVariable;

    /// <summary>Reads the document from <paramref name="variable"/> and, optionally, the halt value from <paramref name="haltVariable"/>.</summary>
    public EnvironmentSettingsSource(string variable = DefaultVariable, string? haltVariable = null)
    {
        _variable = variable;
        _haltVariable = haltVariable;
    }

    /// <inheritdoc />
    public string Description => $"env:{_variable}";

    /// <inheritdoc />
    public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken) =>
        new(new SettingsDocument(
            Environment.GetEnvironmentVariable(_variable),
            _haltVariable is null ? null : Environment.GetEnvironmentVariable(_haltVariable)));
}
