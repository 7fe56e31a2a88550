using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>The wrapper's settings source in a game day: the local control plane's parameter store, read in-process.</summary>
internal sealed class ControlPlaneSettingsSource(ILocalControlPlane controlPlane, string parameter) : IChaosSettingsSource
{
    /// <inheritdoc />
    public string Description => $"local:{parameter}";

    /// <inheritdoc />
    public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var settings = await controlPlane.GetParameterAsync(parameter, cancellationToken).ConfigureAwait(false);
        var halt = await controlPlane.GetParameterAsync(controlPlane.HaltParameter, cancellationToken).ConfigureAwait(false);
        return new SettingsDocument(settings, halt);
    }
}
