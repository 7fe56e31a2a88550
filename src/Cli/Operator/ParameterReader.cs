using ServerlessChaos.Aws;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Operator;

/// <summary>A settings parameter as the operator commands see it.</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Value">Its value.</param>
/// <param name="Parsed">The wrapper's reading of it.</param>
internal sealed record SettingsParameter(string Name, string Value, SettingsParseResult Parsed)
{
    /// <summary>Armed at <paramref name="now"/>, by the wrapper's own rule.</summary>
    public bool IsArmedAt(DateTimeOffset now) => Parsed.Settings?.IsArmedAt(now) == true;
}

/// <summary>Reads the functions' settings parameters and the halt parameter through SSM.</summary>
internal static class ParameterReader
{
    /// <summary>Every parameter under the prefix, parsed with the wrapper's parser.</summary>
    public static async Task<IReadOnlyList<SettingsParameter>> ListAsync(SsmClient ssm, string prefix, CancellationToken cancellationToken)
    {
        List<SettingsParameter> found = [];
        await foreach (var parameter in ssm.GetParametersByPathAsync(OperatorSettings.PathOf(prefix), recursive: true, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            found.Add(new SettingsParameter(parameter.Name, parameter.Value, ChaosSettings.Parse(parameter.Value)));
        }

        return [.. found.OrderBy(p => p.Name, StringComparer.Ordinal)];
    }

    /// <summary>The halt parameter's value, or null when it does not exist.</summary>
    public static async Task<string?> HaltValueAsync(SsmClient ssm, string haltParameter, CancellationToken cancellationToken) =>
        (await ssm.TryGetParameterAsync(haltParameter, cancellationToken: cancellationToken).ConfigureAwait(false))?.Value;
}
