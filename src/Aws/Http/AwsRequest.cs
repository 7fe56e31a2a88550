namespace ServerlessChaos.Aws.Http;

/// <summary>One operation's HTTP request, before endpoint, signing and retries are applied.</summary>
internal sealed class AwsRequest
{
    public AwsRequest(string operation, HttpMethod method, string path)
    {
        Operation = operation;
        Method = method;
        Path = path;
    }

    /// <summary>The operation name, for errors (e.g. GetParameter).</summary>
    public string Operation { get; }

    public HttpMethod Method { get; }

    /// <summary>The path, already percent-encoded, starting with '/'.</summary>
    public string Path { get; }

    /// <summary>Query parameters, not yet encoded.</summary>
    public List<KeyValuePair<string, string>> Query { get; } = [];

    /// <summary>Extra headers to send and sign (e.g. x-amz-target).</summary>
    public List<KeyValuePair<string, string>> Headers { get; } = [];

    public byte[]? Body { get; init; }

    public string? ContentType { get; init; }
}

/// <summary>A complete reply.</summary>
internal sealed class AwsResponse
{
    public AwsResponse(int status, byte[] body, string? requestId, string? contentType)
    {
        Status = status;
        Body = body;
        RequestId = requestId;
        ContentType = contentType;
    }

    public int Status { get; }

    public byte[] Body { get; }

    public string? RequestId { get; }

    public string? ContentType { get; }
}
