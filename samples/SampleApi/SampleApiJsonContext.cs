using System.Text.Json.Serialization;
using ServerlessChaos.Samples.SampleApi.ApiGateway;
using ServerlessChaos.Samples.SampleApi.Orders;

namespace ServerlessChaos.Samples.SampleApi;

/// <summary>Source-generated JSON for the sample's event, response and bodies (camelCase, as API Gateway sends them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(APIGatewayProxyRequest))]
[JsonSerializable(typeof(APIGatewayProxyResponse))]
[JsonSerializable(typeof(InventoryItem))]
[JsonSerializable(typeof(OrderView))]
[JsonSerializable(typeof(ErrorBody))]
public sealed partial class SampleApiJsonContext : JsonSerializerContext;
