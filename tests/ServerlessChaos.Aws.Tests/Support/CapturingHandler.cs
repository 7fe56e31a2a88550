namespace ServerlessChaos.Aws.Tests.Support;

/// <summary>An HTTP request exactly as our client put it on the wire.</summary>
public sealed record CapturedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, byte[]? Body);

public sealed class RequestCapturedException(CapturedRequest request) : Exception("request captured")
{
    public CapturedRequest Request { get; } = request;
}

/// <summary>
/// Answers the first requests with canned JSON replies (to reach a later page), then records the
/// next request and stops the call by throwing.
/// </summary>
public sealed class CapturingHandler(params string[] cannedReplies) : HttpMessageHandler
{
    private int _served;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_served < cannedReplies.Length)
        {
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(cannedReplies[_served++]) };
        }

        var headers = new Dictionary<string, string>();
        foreach (var header in request.Headers)
        {
            headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
        }

        byte[]? body = null;
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                headers[header.Key.ToLowerInvariant()] = string.Join(",", header.Value);
            }

            body = await request.Content.ReadAsByteArrayAsync(cancellationToken);
        }

        throw new RequestCapturedException(new CapturedRequest(request.Method.Method, request.RequestUri!, headers, body));
    }
}
