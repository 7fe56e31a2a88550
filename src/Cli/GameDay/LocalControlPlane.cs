namespace ServerlessChaos.Cli.GameDay;

/// <summary>The orchestrator's embedded backends and local state machine runner, as the game day uses them.</summary>
internal static class LocalControlPlane
{
    /// <summary>Starts the local control plane.</summary>
    public static Task<ILocalControlPlane> StartAsync(GameDayOptions options, CancellationToken cancellationToken) =>
        throw new CliException("the local game day is not wired to the orchestrator's local runner yet (it arrives with issue 6)");
}
