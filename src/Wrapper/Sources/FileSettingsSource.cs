namespace ServerlessChaos.Wrapper.Sources;

/// <summary>Settings from a file (and optionally a halt file); a missing file means "no parameter".</summary>
internal sealed class FileSettingsSource : IChaosSettingsSource
{
    private readonly string _path;
    private readonly string? _haltPath;

    /// <summary>Reads the document from <paramref name="path"/> and the halt value from <paramref name="haltPath"/>.</summary>
    public FileSettingsSource(string path, string? haltPath = null)
    {
        _path = path;
        _haltPath = haltPath;
    }

    /// <inheritdoc />
    public string Description => $"file:{_path}";

    /// <inheritdoc />
    public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = await ReadIfExistsAsync(_path, cancellationToken).ConfigureAwait(false);
        var halt = _haltPath is null ? null : await ReadIfExistsAsync(_haltPath, cancellationToken).ConfigureAwait(false);
        return new SettingsDocument(settings, halt);
    }

    private static async Task<string?> ReadIfExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
