namespace ServerlessChaos.Wrapper.Sources;

/// <summary>Settings held in memory: for tests, local runs and hosts that push settings themselves.</summary>
public sealed class InMemorySettingsSource : IChaosSettingsSource
{
    private volatile SettingsDocument _document;
    private int _fetchCount;

    /// <summary>Creates a source holding <paramref name="settings"/> (null: no parameter) and <paramref name="halt"/>.</summary>
    public InMemorySettingsSource(string? settings = null, string? halt = null) => _document = new SettingsDocument(settings, halt);

    /// <inheritdoc />
    public string Description => "memory";

    /// <summary>The settings document text, or <see langword="null"/> for "no parameter".</summary>
    public string? Settings
    {
        get => _document.Settings;
        set => _document = _document with { Settings = value };
    }

    /// <summary>The halt value, or <see langword="null"/> for "no halt parameter".</summary>
    public string? Halt
    {
        get => _document.Halt;
        set => _document = _document with { Halt = value };
    }

    /// <summary>How many times the wrapper read this source.</summary>
    public int FetchCount => Volatile.Read(ref _fetchCount);

    /// <inheritdoc />
    public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _fetchCount);
        return new ValueTask<SettingsDocument>(_document);
    }
}
