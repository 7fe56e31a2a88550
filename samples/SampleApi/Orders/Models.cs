namespace ServerlessChaos.Samples.SampleApi.Orders;

/// <summary>What the inventory service answers for one item.</summary>
/// <param name="Sku">The item's stock-keeping unit.</param>
/// <param name="Available">How many are in stock.</param>
/// <param name="AsOf">When the inventory read the count (its own clock), when it says.</param>
public sealed record InventoryItem(string Sku, int Available, DateTimeOffset? AsOf = null);

/// <summary>What <c>GET /orders/{id}</c> answers.</summary>
/// <param name="OrderId">The order id from the path.</param>
/// <param name="Sku">The item's stock-keeping unit.</param>
/// <param name="Available">How many are in stock.</param>
public sealed record OrderView(string OrderId, string Sku, int Available);

/// <summary>A one-line message body for errors and health.</summary>
/// <param name="Message">The message.</param>
public sealed record ErrorBody(string Message);
