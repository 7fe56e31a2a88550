using ServerlessChaos.Samples.SampleApi.Orders;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>Builds the sample API the game day serves.</summary>
internal static class SampleTargetFactory
{
    /// <summary>The sample orders API over an inventory client built on <paramref name="inventoryHandler"/>.</summary>
    public static SampleTarget Create(ILocalControlPlane controlPlane, HttpMessageHandler inventoryHandler, TimeProvider clock)
    {
        var inventory = new HttpClient(inventoryHandler, disposeHandler: false);
        var api = new OrdersApi(inventory);
        return new SampleTarget(api.HandleAsync, inventory);
    }
}
