using System.Text.Json;
using ServerlessChaos.Aws.Signing;

namespace ServerlessChaos.Aws.Http;

/// <summary>The REST-JSON protocol: the operation is the method and path, inputs in path, query and a JSON body.</summary>
internal sealed class RestJsonProtocol
{
    private readonly AwsRequestPipeline _pipeline;

    public RestJsonProtocol(AwsRequestPipeline pipeline)
    {
        _pipeline = pipeline;
    }

    public AwsRequestPipeline Pipeline => _pipeline;

    /// <summary>One path segment, percent-encoded (an id can never change the path's shape).</summary>
    public static string Segment(string value) => SigV4Signer.UriEncode(value);

    public AwsRequest CreateRequest(string operation, HttpMethod method, string path, IEnumerable<KeyValuePair<string, string?>>? query = null, Action<Utf8JsonWriter>? writeBody = null)
    {
        var request = new AwsRequest(operation, method, path)
        {
            Body = writeBody is null ? null : Json.Write(writeBody),
            ContentType = writeBody is null ? null : "application/json",
        };
        foreach (var (name, value) in query ?? [])
        {
            if (value is not null)
            {
                request.Query.Add(new(name, value));
            }
        }

        return request;
    }

    public Task<T> CallAsync<T>(AwsRequest request, Func<JsonElement, T> parse, CancellationToken cancellationToken) =>
        _pipeline.SendJsonAsync(request, parse, cancellationToken);
}
