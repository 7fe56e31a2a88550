using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Sources.Ssm;

/// <summary>
/// Settings from SSM Parameter Store: the function's parameter and the global halt parameter in ONE
/// <c>GetParameters</c> call (a missing parameter comes back in <c>InvalidParameters</c>, which means "not set").
/// </summary>
internal sealed class SsmSettingsSource : IChaosSettingsSource
{
    private readonly SsmParametersReader _reader;
    private readonly string _parameterName;
    private readonly string? _haltParameterName;
    private readonly string[] _names;

    /// <summary>Reads <paramref name="parameterName"/> and <paramref name="haltParameterName"/> (null: no halt parameter) with <paramref name="reader"/>.</summary>
    public SsmSettingsSource(SsmParametersReader reader, string parameterName, string? haltParameterName = HaltValue.DefaultParameterName)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        _reader = reader;
        _parameterName = parameterName;
        _haltParameterName = string.IsNullOrWhiteSpace(haltParameterName) || haltParameterName == parameterName ? null : haltParameterName;
        _names = _haltParameterName is null ? [parameterName] : [parameterName, _haltParameterName];
    }

    /// <inheritdoc />
    public string Description => $"ssm:{_parameterName}";

    /// <inheritdoc />
    public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var result = await _reader.GetParametersAsync(_names, cancellationToken).ConfigureAwait(false);
        var settings = Find(result, _parameterName);
        var halt = _haltParameterName is null ? null : Find(result, _haltParameterName);
        return new SettingsDocument(settings?.Value, halt?.Value, settings is null ? null : $"{settings.Name}#{settings.Version}");
    }

    private static SsmParameterValue? Find(SsmParameters result, string name)
    {
        foreach (var parameter in result.Found)
        {
            if (string.Equals(parameter.Name, name, StringComparison.Ordinal) || string.Equals(parameter.Arn, name, StringComparison.Ordinal))
            {
                return parameter;
            }
        }

        return null;
    }
}
