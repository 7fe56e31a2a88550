using System.Text.Json;
using ServerlessChaos.Samples.SampleApi.ApiGateway;
using ServerlessChaos.Samples.SampleApi.Orders;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.Samples.SampleApi;

/// <summary>
/// The sample function as a team would write it with ServerlessChaos: the orders API handler decorated with the
/// chaos wrapper, and its inventory calls going through the wrapper's dependency fault handler.
/// </summary>
public sealed class SampleApiFunction : IDisposable
{
    /// <summary>The environment variable with the inventory service's base address; unset means the built-in inventory.</summary>
    public const string InventoryUrlVariable = "SAMPLE_INVENTORY_URL";

    private readonly HttpClient inventory;
    private readonly OrdersApi api;

    /// <summary>Creates the function.</summary>
    /// <param name="wrapper">The chaos wrapper (its settings source decides the faults).</param>
    /// <param name="inventoryBaseAddress">Where the inventory service is.</param>
    /// <param name="inventoryHandler">The handler under the dependency fault handler (the socket handler, or a test's).</param>
    /// <param name="inventoryTimeout">How long one inventory call may take. Defaults to 5 seconds.</param>
    public SampleApiFunction(ChaosWrapper wrapper, Uri inventoryBaseAddress, HttpMessageHandler? inventoryHandler = null, TimeSpan? inventoryTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(wrapper);
        inventory = new HttpClient(wrapper.CreateDependencyHandler(inventoryHandler ?? new SocketsHttpHandler()))
        {
            BaseAddress = inventoryBaseAddress,
            Timeout = inventoryTimeout ?? TimeSpan.FromSeconds(5),
        };
        api = new OrdersApi(inventory, wrapper.Time);
        Handler = wrapper.Decorate<APIGatewayProxyRequest, LambdaContext, APIGatewayProxyResponse>(HandleAsync);
    }

    /// <summary>
    /// Creates the function for a deployment: the inventory at <paramref name="inventoryUrl"/> (the value of
    /// <see cref="InventoryUrlVariable"/>), or the <see cref="BuiltInInventoryHandler"/> when it is null or empty.
    /// </summary>
    /// <param name="wrapper">The chaos wrapper.</param>
    /// <param name="inventoryUrl">The inventory base address, or null.</param>
    /// <exception cref="ArgumentException">The address is not an absolute http or https URL.</exception>
    public static SampleApiFunction Create(ChaosWrapper wrapper, string? inventoryUrl)
    {
        if (string.IsNullOrWhiteSpace(inventoryUrl))
        {
            return new SampleApiFunction(wrapper, BuiltInInventoryHandler.BaseAddress, new BuiltInInventoryHandler(wrapper.Options.TimeProvider));
        }

        if (!Uri.TryCreate(inventoryUrl, UriKind.Absolute, out var address) || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{InventoryUrlVariable} must be an absolute http or https URL (was \"{inventoryUrl}\")", nameof(inventoryUrl));
        }

        // Relative paths (inventory/{id}) resolve under the base only when it ends with a slash.
        return new SampleApiFunction(wrapper, address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"));
    }

    /// <summary>The decorated handler: what the Lambda runtime (or the local game day) invokes.</summary>
    public Func<APIGatewayProxyRequest, LambdaContext, Task<APIGatewayProxyResponse>> Handler { get; }

    /// <summary>
    /// Invokes the decorated handler with an event in JSON and answers JSON, for a Lambda runtime loop that passes
    /// payloads as text (such as the project's <c>bootstrap</c> with handler <c>sample-api</c>).
    /// </summary>
    /// <param name="eventJson">The API Gateway proxy event.</param>
    /// <param name="context">The invocation context.</param>
    /// <exception cref="JsonException">The payload is not an API Gateway proxy event.</exception>
    public async Task<string> InvokeJsonAsync(string eventJson, LambdaContext context)
    {
        var request = JsonSerializer.Deserialize(eventJson, SampleApiJsonContext.Default.APIGatewayProxyRequest)
            ?? throw new JsonException("the event is null; expected an API Gateway proxy event");
        var response = await Handler(request, context).ConfigureAwait(false);
        return JsonSerializer.Serialize(response, SampleApiJsonContext.Default.APIGatewayProxyResponse);
    }

    /// <inheritdoc />
    public void Dispose() => inventory.Dispose();

    private async Task<APIGatewayProxyResponse> HandleAsync(APIGatewayProxyRequest request, LambdaContext context)
    {
        // Stop work a little before the deadline, as a Lambda handler should.
        using var deadline = new CancellationTokenSource(context.RemainingTime > TimeSpan.FromMilliseconds(200) ? context.RemainingTime - TimeSpan.FromMilliseconds(100) : context.RemainingTime);
        return await api.HandleAsync(request, deadline.Token).ConfigureAwait(false);
    }
}
