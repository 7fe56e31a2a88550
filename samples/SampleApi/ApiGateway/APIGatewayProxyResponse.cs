namespace ServerlessChaos.Samples.SampleApi.ApiGateway;

/// <summary>
/// The API Gateway proxy integration response, declared here with the member names of
/// Amazon.Lambda.APIGatewayEvents so the wrapper decorates it by shape exactly as it would the real type.
/// </summary>
public sealed class APIGatewayProxyResponse
{
    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; set; }

    /// <summary>Single-value response headers.</summary>
    public IDictionary<string, string>? Headers { get; set; }

    /// <summary>Multi-value response headers.</summary>
    public IDictionary<string, IList<string>>? MultiValueHeaders { get; set; }

    /// <summary>The response body.</summary>
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64-encoded.</summary>
    public bool IsBase64Encoded { get; set; }
}
