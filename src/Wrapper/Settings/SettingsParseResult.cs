namespace ServerlessChaos.Wrapper.Settings;

/// <summary>The outcome of <see cref="ChaosSettings.Parse(string)"/>: either settings or the list of problems.</summary>
internal sealed class SettingsParseResult
{
    internal SettingsParseResult(ChaosSettings? settings, IReadOnlyList<SettingsError> errors, IReadOnlyList<SettingsError>? warnings = null)
    {
        Settings = settings;
        Errors = errors;
        Warnings = warnings ?? [];
    }

    /// <summary>The parsed settings, or <see langword="null"/> when <see cref="Errors"/> is not empty.</summary>
    public ChaosSettings? Settings { get; }

    /// <summary>Every problem found, each naming its field. Empty when the document is valid.</summary>
    public IReadOnlyList<SettingsError> Errors { get; }

    /// <summary>
    /// Parts of a valid document that were switched off, each naming its field: in the failure-lambda 1.x layout one
    /// invalid flag is skipped and the other flags stay armed, as failure-lambda does. Empty for this project's layout.
    /// </summary>
    public IReadOnlyList<SettingsError> Warnings { get; }

    /// <summary><see langword="true"/> when the document parsed and every field is within bounds.</summary>
    public bool IsValid => Settings is not null;
}
