using ServerlessChaos.Samples.SampleApi;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>Builds the wrapper-decorated sample function the game day serves.</summary>
internal static class SampleTargetFactory
{
    /// <summary>The sample function's name; its settings parameter is the prefix plus this.</summary>
    public const string FunctionName = "sample-api";

    /// <summary>The settings parameter the sample's wrapper reads.</summary>
    public const string Parameter = ChaosConventions.ParameterPrefix + FunctionName;

    /// <summary>How long API Gateway waits for a Lambda integration.</summary>
    public static readonly TimeSpan IntegrationTimeout = TimeSpan.FromSeconds(29);

    /// <summary>
    /// The sample function with its wrapper reading the control plane's parameter store. The wrapper re-reads its
    /// settings every <see cref="GameDayOptions.SettingsTtl"/> (in-process reads are free), so arming and rollback show within a second.
    /// </summary>
    /// <param name="controlPlane">Where the settings are.</param>
    /// <param name="inventory">The inventory service's address.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="wrapperLog">Where the wrapper's JSON log lines and EMF records go.</param>
    public static SampleTarget Create(ILocalControlPlane controlPlane, Uri inventory, TimeProvider clock, TextWriter wrapperLog)
    {
        var wrapper = new ChaosWrapper(new ControlPlaneSettingsSource(controlPlane, Parameter), new ChaosOptions
        {
            TimeProvider = clock,
            ArmedTtl = GameDayOptions.SettingsTtl,
            IdleTtl = GameDayOptions.SettingsTtl,
            LogWriter = wrapperLog,
            FunctionName = FunctionName,
        });
        var function = new SampleApiFunction(wrapper, inventory, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        return new SampleTarget(
            (request, _) => function.Handler(request, new LambdaContext(request.RequestContext?.RequestId ?? Guid.NewGuid().ToString(), FunctionName, clock.GetUtcNow() + IntegrationTimeout, clock)),
            function);
    }
}
