using System.Text.Json;

namespace ServerlessChaos.Aws.Http;

/// <summary>The AWS JSON 1.0 / 1.1 protocols: <c>POST /</c>, <c>X-Amz-Target: Prefix.Operation</c>, a JSON body.</summary>
internal sealed class JsonProtocol
{
    private readonly AwsRequestPipeline _pipeline;
    private readonly string _targetPrefix;
    private readonly string _contentType;
    private readonly bool _queryCompatible;

    public JsonProtocol(AwsRequestPipeline pipeline, string targetPrefix, string jsonVersion, bool queryCompatible = false)
    {
        _pipeline = pipeline;
        _targetPrefix = targetPrefix;
        _contentType = "application/x-amz-json-" + jsonVersion;
        _queryCompatible = queryCompatible;
    }

    public AwsRequestPipeline Pipeline => _pipeline;

    public AwsRequest CreateRequest(string operation, Action<Utf8JsonWriter> writeBody)
    {
        var request = new AwsRequest(operation, HttpMethod.Post, "/")
        {
            Body = Json.Write(writeBody),
            ContentType = _contentType,
        };
        request.Headers.Add(new("x-amz-target", $"{_targetPrefix}.{operation}"));
        if (_queryCompatible)
        {
            // Services that moved from the query protocol answer in JSON when asked this way.
            request.Headers.Add(new("x-amzn-query-mode", "true"));
        }

        return request;
    }

    public Task<T> CallAsync<T>(string operation, Action<Utf8JsonWriter> writeBody, Func<JsonElement, T> parse, CancellationToken cancellationToken) =>
        _pipeline.SendJsonAsync(CreateRequest(operation, writeBody), parse, cancellationToken);
}
