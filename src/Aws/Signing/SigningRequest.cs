namespace ServerlessChaos.Aws.Signing;

/// <summary>
/// A request about to be signed: method, full URL (path and query already percent-encoded once),
/// headers (lower-case names) and the exact body bytes that will be sent.
/// </summary>
public sealed class SigningRequest
{
    private readonly List<KeyValuePair<string, string>> _headers = new(10);

    /// <summary>Creates the request.</summary>
    public SigningRequest(string method, Uri uri, ReadOnlyMemory<byte> body = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(uri);
        if (!uri.IsAbsoluteUri)
        {
            throw new ArgumentException($"the request URL must be absolute (was '{uri}')", nameof(uri));
        }

        Method = method.ToUpperInvariant();
        Uri = uri;
        Body = body;
    }

    /// <summary>The HTTP method in upper case.</summary>
    public string Method { get; }

    /// <summary>The full URL.</summary>
    public Uri Uri { get; }

    /// <summary>The body bytes exactly as sent.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The headers, names in lower case, in insertion order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers => _headers;

    /// <summary>Sets (replaces) a header; the name is stored in lower case.</summary>
    public void SetHeader(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        var lower = name.ToLowerInvariant();
        for (var i = 0; i < _headers.Count; i++)
        {
            if (_headers[i].Key == lower)
            {
                _headers[i] = new(lower, value);
                return;
            }
        }

        _headers.Add(new(lower, value));
    }

    /// <summary>The value of a header, or null.</summary>
    public string? GetHeader(string name)
    {
        var lower = name.ToLowerInvariant();
        foreach (var header in _headers)
        {
            if (header.Key == lower)
            {
                return header.Value;
            }
        }

        return null;
    }
}
