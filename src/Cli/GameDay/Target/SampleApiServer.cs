using System.Text;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Samples.SampleApi.ApiGateway;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>
/// Serves an API Gateway-shaped handler over HTTP on 127.0.0.1, as API Gateway's proxy integration would:
/// each request becomes an <see cref="APIGatewayProxyRequest"/>, the response's status, headers and body go
/// back, and a handler that throws gives 502 <c>{"message": "Internal server error"}</c>. Every answer carries
/// the invocation's request id in <c>x-amzn-RequestId</c>, as API Gateway's do.
/// </summary>
internal sealed class SampleApiServer : IAsyncDisposable
{
    /// <summary>The response header with the request id (the Lambda invocation's <c>AwsRequestId</c> here).</summary>
    public const string RequestIdHeader = "x-amzn-RequestId";

    private readonly LocalHttpServer server;

    private SampleApiServer(LocalHttpServer server) => this.server = server;

    /// <summary>The API's base address.</summary>
    public Uri Address => server.Address;

    /// <summary>Starts serving <paramref name="handler"/>.</summary>
    public static async Task<SampleApiServer> StartAsync(Func<APIGatewayProxyRequest, CancellationToken, Task<APIGatewayProxyResponse>> handler, CancellationToken cancellationToken, int port = 0)
    {
        var server = await LocalHttpServer.StartAsync(context => ServeAsync(handler, context), cancellationToken, port).ConfigureAwait(false);
        return new SampleApiServer(server);
    }

    /// <summary>The API Gateway event for an HTTP request.</summary>
    public static async Task<APIGatewayProxyRequest> ToEventAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var multiHeaders = request.Headers.ToDictionary(h => h.Key, h => (IList<string>)[.. h.Value.Select(v => v ?? string.Empty)], StringComparer.OrdinalIgnoreCase);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var multiQuery = request.Query.ToDictionary(q => q.Key, q => (IList<string>)[.. q.Value.Select(v => v ?? string.Empty)]);
        var path = request.Path.Value ?? "/";
        return new APIGatewayProxyRequest
        {
            Resource = "/{proxy+}",
            Path = path,
            HttpMethod = request.Method,
            Headers = headers,
            MultiValueHeaders = multiHeaders,
            QueryStringParameters = query.Count == 0 ? null : query,
            MultiValueQueryStringParameters = multiQuery.Count == 0 ? null : multiQuery,
            PathParameters = new Dictionary<string, string> { ["proxy"] = path.TrimStart('/') },
            RequestContext = new APIGatewayProxyRequest.ProxyRequestContext
            {
                RequestId = Guid.NewGuid().ToString(),
                Stage = "local",
                HttpMethod = request.Method,
                ResourcePath = "/{proxy+}",
                Path = "/local" + path,
                RequestTimeEpoch = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            },
            Body = body.Length == 0 ? null : body,
            IsBase64Encoded = false,
        };
    }

    private static async Task ServeAsync(Func<APIGatewayProxyRequest, CancellationToken, Task<APIGatewayProxyResponse>> handler, HttpContext context)
    {
        var apiEvent = await ToEventAsync(context.Request, context.RequestAborted).ConfigureAwait(false);
        APIGatewayProxyResponse response;
        try
        {
            response = await handler(apiEvent, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // What API Gateway answers when the Lambda integration fails.
            response = new APIGatewayProxyResponse { StatusCode = StatusCodes.Status502BadGateway, Body = """{"message": "Internal server error"}""" };
        }

        context.Response.StatusCode = response.StatusCode;
        context.Response.Headers[RequestIdHeader] = apiEvent.RequestContext!.RequestId;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        foreach (var (name, values) in response.MultiValueHeaders ?? new Dictionary<string, IList<string>>())
        {
            context.Response.Headers[name] = values.ToArray();
        }

        if (response.Body is { } text)
        {
            var bytes = response.IsBase64Encoded ? Convert.FromBase64String(text) : Encoding.UTF8.GetBytes(text);
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();
}
