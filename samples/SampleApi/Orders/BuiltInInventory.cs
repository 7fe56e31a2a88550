using System.Globalization;
using System.Net;
using System.Text;

namespace ServerlessChaos.Samples.SampleApi.Orders;

/// <summary>
/// An inventory service inside the function, for when no inventory URL is configured (the deployed sample has no
/// downstream of its own): <c>GET inventory/{id}</c> answers a stable item. It sits under the wrapper's dependency
/// fault handler like a real service would, so dependency faults still apply to its host.
/// </summary>
public sealed class BuiltInInventoryHandler(TimeProvider? clock = null) : HttpMessageHandler
{
    private readonly TimeProvider clock = clock ?? TimeProvider.System;

    /// <summary>The base address the function's inventory client uses with the built-in inventory.</summary>
    public static readonly Uri BaseAddress = new("http://inventory.sample.internal/");

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        const string prefix = "/inventory/";
        var path = request.RequestUri?.AbsolutePath ?? "/";
        if (request.Method != HttpMethod.Get || !path.StartsWith(prefix, StringComparison.Ordinal) || path.Length == prefix.Length)
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
        }

        var id = Uri.UnescapeDataString(path[prefix.Length..]);

        // A stable count per id (string.GetHashCode is randomised per process).
        var available = id.Aggregate(0, (sum, c) => (sum + c) % 50);
        var asOf = clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        var json = $$"""{"sku":"SKU-{{Escape(id)}}","available":{{available.ToString(CultureInfo.InvariantCulture)}},"asOf":"{{asOf}}"}""";
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            RequestMessage = request,
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        });
    }

    private static string Escape(string text) =>
        System.Text.Json.JsonEncodedText.Encode(text).ToString();
}
