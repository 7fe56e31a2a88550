namespace ServerlessChaos.Samples.SampleApi.ApiGateway;

/// <summary>
/// The API Gateway REST (payload 1.0) proxy event, declared here with the member names of
/// Amazon.Lambda.APIGatewayEvents so the sample stays free of that package.
/// </summary>
public sealed class APIGatewayProxyRequest
{
    /// <summary>The resource path template, for example <c>/orders/{id}</c>.</summary>
    public string? Resource { get; set; }

    /// <summary>The request path, for example <c>/orders/42</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The HTTP method, for example <c>GET</c>.</summary>
    public string? HttpMethod { get; set; }

    /// <summary>Single-value request headers.</summary>
    public IDictionary<string, string>? Headers { get; set; }

    /// <summary>Multi-value request headers.</summary>
    public IDictionary<string, IList<string>>? MultiValueHeaders { get; set; }

    /// <summary>Single-value query string parameters.</summary>
    public IDictionary<string, string>? QueryStringParameters { get; set; }

    /// <summary>Multi-value query string parameters.</summary>
    public IDictionary<string, IList<string>>? MultiValueQueryStringParameters { get; set; }

    /// <summary>Path parameters matched by the resource template.</summary>
    public IDictionary<string, string>? PathParameters { get; set; }

    /// <summary>Stage variables of the deployed stage.</summary>
    public IDictionary<string, string>? StageVariables { get; set; }

    /// <summary>The request context API Gateway adds.</summary>
    public ProxyRequestContext? RequestContext { get; set; }

    /// <summary>The request body.</summary>
    public string? Body { get; set; }

    /// <summary>Whether <see cref="Body"/> is base64-encoded.</summary>
    public bool IsBase64Encoded { get; set; }

    /// <summary>The part of the request context the sample uses (names as in the real event).</summary>
    public sealed class ProxyRequestContext
    {
        /// <summary>The API Gateway request id.</summary>
        public string? RequestId { get; set; }

        /// <summary>The stage name.</summary>
        public string? Stage { get; set; }

        /// <summary>The HTTP method.</summary>
        public string? HttpMethod { get; set; }

        /// <summary>The resource path template.</summary>
        public string? ResourcePath { get; set; }

        /// <summary>The request path including the stage.</summary>
        public string? Path { get; set; }

        /// <summary>The request time in epoch milliseconds.</summary>
        public long RequestTimeEpoch { get; set; }
    }
}
