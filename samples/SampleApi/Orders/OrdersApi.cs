using System.Net;
using System.Text.Json;
using ServerlessChaos.Samples.SampleApi.ApiGateway;

namespace ServerlessChaos.Samples.SampleApi.Orders;

/// <summary>
/// The sample service: <c>GET /orders/{id}</c> looks the order's item up in an inventory service over
/// HTTP and answers with both; <c>GET /health</c> answers without calling anything. A stock count older than
/// <see cref="MaxInventoryAge"/> (by the inventory's <c>asOf</c> and this function's clock) is refused with 503.
/// </summary>
public sealed class OrdersApi
{
    /// <summary>The oldest inventory answer the API accepts: 30 seconds.</summary>
    public static readonly TimeSpan MaxInventoryAge = TimeSpan.FromSeconds(30);

    private readonly HttpClient inventory;
    private readonly TimeProvider clock;

    /// <summary>Creates the API over an HttpClient whose base address is the inventory service.</summary>
    /// <param name="inventory">The client for the downstream inventory service; its handler chain is where the wrapper's dependency faults go.</param>
    /// <param name="clock">The function's clock (the wrapper's <c>Time</c>, so a clockSkew fault reaches the freshness check). Defaults to the system clock.</param>
    public OrdersApi(HttpClient inventory, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        this.inventory = inventory;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>Handles one API Gateway proxy event.</summary>
    /// <param name="request">The event.</param>
    /// <param name="cancellationToken">Cancelled when the invocation's time is up.</param>
    /// <returns>The proxy response.</returns>
    public async Task<APIGatewayProxyResponse> HandleAsync(APIGatewayProxyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var method = request.HttpMethod ?? request.RequestContext?.HttpMethod ?? "GET";
        var path = (request.Path ?? "/").TrimEnd('/');
        if (!string.Equals(method, "GET", StringComparison.OrdinalIgnoreCase))
        {
            return Json(HttpStatusCode.MethodNotAllowed, new ErrorBody($"{method} is not supported; use GET"));
        }

        if (path == "/health")
        {
            return Json(HttpStatusCode.OK, new ErrorBody("ok"));
        }

        const string ordersPrefix = "/orders/";
        if (path.StartsWith(ordersPrefix, StringComparison.Ordinal) && path.Length > ordersPrefix.Length)
        {
            var orderId = path[ordersPrefix.Length..];
            return await GetOrderAsync(orderId, cancellationToken).ConfigureAwait(false);
        }

        return Json(HttpStatusCode.NotFound, new ErrorBody($"no route for {path}"));
    }

    private async Task<APIGatewayProxyResponse> GetOrderAsync(string orderId, CancellationToken cancellationToken)
    {
        HttpResponseMessage reply;
        try
        {
            reply = await inventory.GetAsync(new Uri($"inventory/{Uri.EscapeDataString(orderId)}", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            return Json(HttpStatusCode.BadGateway, new ErrorBody($"inventory unreachable: {ex.Message}"));
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout surfaces as a cancellation the caller did not ask for.
            return Json(HttpStatusCode.GatewayTimeout, new ErrorBody("inventory timed out"));
        }

        using (reply)
        {
            if (!reply.IsSuccessStatusCode)
            {
                return Json(HttpStatusCode.BadGateway, new ErrorBody($"inventory answered {(int)reply.StatusCode}"));
            }

            var body = await reply.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            InventoryItem? item;
            try
            {
                item = JsonSerializer.Deserialize(body, SampleApiJsonContext.Default.InventoryItem);
            }
            catch (JsonException)
            {
                item = null;
            }

            if (item is null)
            {
                return Json(HttpStatusCode.BadGateway, new ErrorBody("inventory answered something that is not an item"));
            }

            // Deliberately naive, as such checks often are: it trusts that this function's clock agrees with the
            // inventory's. The clock-skew game day (events/experiments/gameday-clock-skew.json) shows what that costs.
            if (item.AsOf is { } asOf && clock.GetUtcNow() - asOf > MaxInventoryAge)
            {
                return Json(HttpStatusCode.ServiceUnavailable, new ErrorBody($"inventory count is stale (as of {asOf.UtcDateTime:O})"));
            }

            return Json(HttpStatusCode.OK, new OrderView(orderId, item.Sku, item.Available));
        }
    }

    private static APIGatewayProxyResponse Json<T>(HttpStatusCode status, T body)
    {
        var typeInfo = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)SampleApiJsonContext.Default.GetTypeInfo(typeof(T))!;
        return new APIGatewayProxyResponse
        {
            StatusCode = (int)status,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json" },
            Body = JsonSerializer.Serialize(body, typeInfo),
        };
    }
}
