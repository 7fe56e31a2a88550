using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ServerlessChaos.Aws.Credentials;

namespace ServerlessChaos.Aws.Signing;

/// <summary>
/// AWS Signature Version 4: the one signer every client uses, for header-signed requests and for
/// presigned URLs. Follows the SigV4 rules for every service except S3 (paths are normalised and
/// encoded twice).
/// </summary>
public static class SigV4Signer
{
    /// <summary>The algorithm name in the Authorization header and presigned URLs.</summary>
    public const string Algorithm = "AWS4-HMAC-SHA256";

    // Headers that proxies or the HTTP stack may change, so they are never signed.
    private static readonly HashSet<string> UnsignableHeaders = new(StringComparer.Ordinal)
    {
        "authorization", "cache-control", "connection", "expect", "from", "keep-alive", "max-forwards",
        "pragma", "referer", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "x-amzn-trace-id",
    };

    private static SigningKeyCacheEntry? _lastKey;

    /// <summary>
    /// Signs a request in place: sets <c>host</c>, <c>x-amz-date</c>, <c>x-amz-content-sha256</c>,
    /// <c>x-amz-security-token</c> (temporary credentials) and <c>authorization</c>. Every other header
    /// already on the request is signed too, except the ones proxies may rewrite (e.g. user-agent).
    /// </summary>
    /// <param name="request">The request to sign.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region, e.g. <c>us-east-1</c>.</param>
    /// <param name="service">The signing name of the service, e.g. <c>ssm</c>.</param>
    /// <param name="signingTime">The time to sign at (UTC).</param>
    public static void Sign(SigningRequest request, AwsCredentials credentials, string region, string service, DateTimeOffset signingTime)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);

        var (amzDate, date) = FormatTimes(signingTime);
        request.SetHeader("host", HostHeader(request.Uri));
        request.SetHeader("x-amz-date", amzDate);
        if (credentials.SessionToken is not null)
        {
            request.SetHeader("x-amz-security-token", credentials.SessionToken);
        }

        var payloadHash = HexSha256(request.Body.Span);
        request.SetHeader("x-amz-content-sha256", payloadHash);

        var signable = new List<KeyValuePair<string, string>>(request.Headers.Count);
        foreach (var header in request.Headers)
        {
            if (!UnsignableHeaders.Contains(header.Key))
            {
                signable.Add(header);
            }
        }

        signable.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var signedHeaders = string.Join(';', signable.Select(static h => h.Key));

        var canonical = new StringBuilder(512);
        canonical.Append(request.Method).Append('\n');
        canonical.Append(CanonicalPath(request.Uri)).Append('\n');
        canonical.Append(CanonicalQuery(request.Uri.Query, excludeSignature: false)).Append('\n');
        foreach (var header in signable)
        {
            canonical.Append(header.Key).Append(':');
            AppendCanonicalHeaderValue(canonical, header.Value);
            canonical.Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(payloadHash);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var signature = ComputeSignature(canonical.ToString(), amzDate, scope, credentials.SecretAccessKey, date, region, service);
        request.SetHeader(
            "authorization",
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>
    /// A presigned URL: the signature travels in the query (<c>X-Amz-Signature</c>), only the host
    /// header is signed, and the URL is valid for <paramref name="expiresIn"/> (at most 7 days).
    /// </summary>
    /// <param name="method">The HTTP method the URL will be used with.</param>
    /// <param name="uri">The URL to presign (its own query is kept and signed).</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region.</param>
    /// <param name="service">The signing name of the service.</param>
    /// <param name="signingTime">The time the URL becomes valid.</param>
    /// <param name="expiresIn">How long the URL stays valid (1 second to 7 days).</param>
    /// <param name="body">The body the URL will be used with (usually empty).</param>
    public static Uri Presign(string method, Uri uri, AwsCredentials credentials, string region, string service, DateTimeOffset signingTime, TimeSpan expiresIn, ReadOnlyMemory<byte> body = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(method);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentException.ThrowIfNullOrWhiteSpace(service);
        if (expiresIn < TimeSpan.FromSeconds(1) || expiresIn > TimeSpan.FromDays(7))
        {
            throw new ArgumentOutOfRangeException(nameof(expiresIn), $"expiresIn must be between 1 second and 7 days (was {expiresIn})");
        }

        var (amzDate, date) = FormatTimes(signingTime);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var query = new StringBuilder(uri.Query.TrimStart('?'));
        void Add(string name, string value)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(name).Append('=').Append(UriEncode(value));
        }

        Add("X-Amz-Algorithm", Algorithm);
        Add("X-Amz-Credential", $"{credentials.AccessKeyId}/{scope}");
        Add("X-Amz-Date", amzDate);
        Add("X-Amz-Expires", ((long)expiresIn.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        if (credentials.SessionToken is not null)
        {
            Add("X-Amz-Security-Token", credentials.SessionToken);
        }

        Add("X-Amz-SignedHeaders", "host");
        var unsigned = new UriBuilder(uri) { Query = query.ToString() }.Uri;

        var canonical = new StringBuilder(512);
        canonical.Append(method.ToUpperInvariant()).Append('\n');
        canonical.Append(CanonicalPath(unsigned)).Append('\n');
        canonical.Append(CanonicalQuery(unsigned.Query, excludeSignature: true)).Append('\n');
        canonical.Append("host:").Append(HostHeader(unsigned)).Append("\n\n");
        canonical.Append("host\n").Append(HexSha256(body.Span));

        var signature = ComputeSignature(canonical.ToString(), amzDate, scope, credentials.SecretAccessKey, date, region, service);
        Add("X-Amz-Signature", signature);
        return new UriBuilder(uri) { Query = query.ToString() }.Uri;
    }

    /// <summary>The host header for a URL: host, plus the port when it is not the scheme's default.</summary>
    public static string HostHeader(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Percent-encodes a string the SigV4 way (RFC 3986: only A-Z a-z 0-9 - _ . ~ stay).</summary>
    public static string UriEncode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        var builder = new StringBuilder(bytes.Length * 3);
        foreach (var b in bytes)
        {
            if (IsUnreserved(b))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(HexUpper[b >> 4]).Append(HexUpper[b & 0xF]);
            }
        }

        return builder.ToString();
    }

    private const string HexUpper = "0123456789ABCDEF";

    private static bool IsUnreserved(byte b) =>
        (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '.' || b == '~';

    private static (string AmzDate, string Date) FormatTimes(DateTimeOffset signingTime)
    {
        var utc = signingTime.UtcDateTime;
        return (utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture), utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture));
    }

    // Non-S3 rule: drop empty, "." and ".." segments, then percent-encode the (already encoded) path again.
    private static string CanonicalPath(Uri uri)
    {
        var path = uri.AbsolutePath;
        if (path.Length == 0 || path == "/")
        {
            return "/";
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                continue;
            }

            segments.Add(UriEncode(segment));
        }

        var builder = new StringBuilder(path.Length + 8);
        builder.Append('/').Append(string.Join('/', segments));
        if (segments.Count > 0 && path.EndsWith('/'))
        {
            builder.Append('/');
        }

        return builder.ToString();
    }

    private static string CanonicalQuery(string query, bool excludeSignature)
    {
        if (query.Length <= 1)
        {
            return string.Empty;
        }

        var pairs = new List<(string Key, string Value)>();
        foreach (var part in query.TrimStart('?').Split('&'))
        {
            if (part.Length == 0)
            {
                continue;
            }

            var equals = part.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? part : part[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(part[(equals + 1)..]);
            if (excludeSignature && key == "X-Amz-Signature")
            {
                continue;
            }

            pairs.Add((UriEncode(key), UriEncode(value)));
        }

        pairs.Sort(static (a, b) =>
        {
            var byKey = string.CompareOrdinal(a.Key, b.Key);
            return byKey != 0 ? byKey : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', pairs.Select(static p => p.Key + "=" + p.Value));
    }

    // Trim, and collapse runs of whitespace to one space.
    private static void AppendCanonicalHeaderValue(StringBuilder builder, string value)
    {
        var span = value.AsSpan().Trim();
        var previousWasSpace = false;
        foreach (var c in span)
        {
            if (char.IsWhiteSpace(c))
            {
                if (!previousWasSpace)
                {
                    builder.Append(' ');
                }

                previousWasSpace = true;
            }
            else
            {
                builder.Append(c);
                previousWasSpace = false;
            }
        }
    }

    private static string ComputeSignature(string canonicalRequest, string amzDate, string scope, string secretKey, string date, string region, string service)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest), hash);
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex.Lower(hash)}";
        var key = SigningKey(secretKey, date, region, service);
        Span<byte> signature = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign), signature);
        return Hex.Lower(signature);
    }

    // The derived key changes once a day per region and service; remember the last one.
    private static byte[] SigningKey(string secretKey, string date, string region, string service)
    {
        var cached = _lastKey;
        if (cached is not null && cached.Date == date && cached.Region == region && cached.Service == service && cached.Secret == secretKey)
        {
            return cached.Key;
        }

        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secretKey), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        key = HMACSHA256.HashData(key, "aws4_request"u8);
        _lastKey = new SigningKeyCacheEntry(secretKey, date, region, service, key);
        return key;
    }

    private static string HexSha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(data, hash);
        return Hex.Lower(hash);
    }

    private sealed record SigningKeyCacheEntry(string Secret, string Date, string Region, string Service, byte[] Key);
}
