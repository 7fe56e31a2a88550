using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Signing;

namespace ServerlessChaos.Wrapper.Sources.Ssm;

/// <summary>
/// The one SSM call a decorated function makes: <c>GetParameters</c> (AWS JSON 1.1), signed with the project's SigV4
/// signer. One attempt per read: the settings cache owns timeouts, retries and backoff.
/// </summary>
internal sealed class SsmParametersReader
{
    /// <summary>The SSM endpoint override a function (or a game day's service) reads first.</summary>
    public const string EndpointVariable = "AWS_ENDPOINT_URL_SSM";

    private const string ContentType = "application/x-amz-json-1.1";

    // One connection pool per process, like any Lambda client; the cache's token bounds each read.
    private static readonly Lazy<HttpClient> SharedHttpClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    });

    private readonly Func<AwsCredentials> _credentials;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;

    public SsmParametersReader(string region, Uri endpoint, Func<AwsCredentials> credentials, TimeProvider time, HttpClient? http = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(time);
        Region = region;
        Endpoint = endpoint;
        _credentials = credentials;
        _time = time;
        _http = http ?? SharedHttpClient.Value;
    }

    public string Region { get; }

    public Uri Endpoint { get; }

    /// <summary>
    /// The reader Lambda's environment describes: region from <c>AWS_REGION</c> (or <c>AWS_DEFAULT_REGION</c>), credentials
    /// from <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>/<c>AWS_SESSION_TOKEN</c> (read on every call, so rotated
    /// keys are picked up), endpoint from <c>AWS_ENDPOINT_URL_SSM</c>, then <c>AWS_ENDPOINT_URL</c>, then the regional one.
    /// </summary>
    /// <exception cref="ArgumentException">No region, or an endpoint override that is not an http(s) URL.</exception>
    public static SsmParametersReader FromEnvironment(Func<string, string?> environment, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Read(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;

        var region = Read("AWS_REGION") ?? Read("AWS_DEFAULT_REGION")
            ?? throw new ArgumentException("no AWS region is configured: set AWS_REGION (Lambda sets it) or AWS_DEFAULT_REGION");
        var endpoint = EndpointOverride(EndpointVariable, Read(EndpointVariable))
            ?? EndpointOverride("AWS_ENDPOINT_URL", Read("AWS_ENDPOINT_URL"))
            ?? new Uri($"https://ssm.{region}.{(region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}/");
        return new SsmParametersReader(region, endpoint, () => EnvironmentCredentials(Read), time);
    }

    /// <summary>Reads up to 10 parameters (the service limit) with decryption; names SSM does not know come back in <c>Missing</c>.</summary>
    /// <exception cref="SsmReadException">SSM answered with an error, or with a reply this reader cannot understand.</exception>
    public async Task<SsmParameters> GetParametersAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(names), $"GetParameters takes 1 to 10 names (was {names.Count})");
        }

        using var message = BuildSignedMessage(RequestBody(names));
        using var response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (status is < 200 or >= 300)
        {
            throw ErrorFrom(status, body);
        }

        return ParseReply(body);
    }

    /// <summary>The HTTP message exactly as it goes on the wire, signed.</summary>
    internal HttpRequestMessage BuildSignedMessage(byte[] body)
    {
        var signing = new SigningRequest("POST", Endpoint, body);
        signing.SetHeader("content-type", ContentType);
        signing.SetHeader("x-amz-target", "AmazonSSM.GetParameters");
        SigV4Signer.Sign(signing, _credentials(), Region, "ssm", _time.GetUtcNow());

        var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        foreach (var header in signing.Headers)
        {
            switch (header.Key)
            {
                case "host":
                    message.Headers.Host = header.Value;
                    break;
                case "content-type":
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
                    break;
                default:
                    message.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    break;
            }
        }

        return message;
    }

    internal static byte[] RequestBody(IReadOnlyList<string> names)
    {
        using var buffer = new MemoryStream(64 + (names.Count * 64));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Names");
            foreach (var name in names)
            {
                writer.WriteStringValue(name);
            }

            writer.WriteEndArray();
            writer.WriteBoolean("WithDecryption", true);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    internal static SsmParameters ParseReply(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new SsmReadException($"SSM GetParameters replied with something that is not JSON: {Excerpt(body)}", null, 200, ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed("the reply is not a JSON object", body);
            }

            var found = new List<SsmParameterValue>();
            if (root.TryGetProperty("Parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
            {
                if (parameters.ValueKind != JsonValueKind.Array)
                {
                    throw Malformed("Parameters is not an array", body);
                }

                var index = 0;
                foreach (var parameter in parameters.EnumerateArray())
                {
                    found.Add(ReadParameter(parameter, $"Parameters[{index++}]", body));
                }
            }

            var missing = new List<string>();
            if (root.TryGetProperty("InvalidParameters", out var invalid) && invalid.ValueKind != JsonValueKind.Null)
            {
                if (invalid.ValueKind != JsonValueKind.Array)
                {
                    throw Malformed("InvalidParameters is not an array", body);
                }

                foreach (var name in invalid.EnumerateArray())
                {
                    missing.Add(name.ValueKind == JsonValueKind.String ? name.GetString()! : throw Malformed("InvalidParameters holds a value that is not a string", body));
                }
            }

            return new SsmParameters(found, missing);
        }
    }

    private static SsmParameterValue ReadParameter(JsonElement parameter, string path, byte[] body)
    {
        if (parameter.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"{path} is not an object", body);
        }

        string? Text(string field) => parameter.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var name = Text("Name") ?? throw Malformed($"{path}.Name is missing", body);
        var text = Text("Value") ?? throw Malformed($"{path}.Value is missing", body);
        var version = parameter.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var number) ? number : 0;
        return new SsmParameterValue(name, text, version, Text("ARN"));
    }

    private static SsmReadException ErrorFrom(int status, byte[] body)
    {
        // AWS JSON errors: {"__type":"[namespace#]Code","message":"..."}; anything else (an XML auth error, a proxy page) is quoted.
        string? code = null;
        string? text = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (document.RootElement.TryGetProperty("__type", out var type) && type.ValueKind == JsonValueKind.String)
                {
                    code = type.GetString()!;
                    code = code[(code.LastIndexOf('#') + 1)..];
                }

                foreach (var field in (ReadOnlySpan<string>)["message", "Message"])
                {
                    if (document.RootElement.TryGetProperty(field, out var m) && m.ValueKind == JsonValueKind.String)
                    {
                        text = m.GetString();
                        break;
                    }
                }
            }
        }
        catch (JsonException)
        {
        }

        var description = code is null
            ? $"SSM GetParameters failed with HTTP {status.ToString(CultureInfo.InvariantCulture)}: {Excerpt(body)}"
            : $"SSM GetParameters failed with HTTP {status.ToString(CultureInfo.InvariantCulture)} {code}: {text}";
        return new SsmReadException(description, code, status);
    }

    private static AwsCredentials EnvironmentCredentials(Func<string, string?> read)
    {
        var accessKey = read("AWS_ACCESS_KEY_ID")
            ?? throw new InvalidOperationException("no AWS credentials: AWS_ACCESS_KEY_ID is not set (Lambda sets it from the function's role)");
        var secret = read("AWS_SECRET_ACCESS_KEY")
            ?? throw new InvalidOperationException("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
        return new AwsCredentials(accessKey, secret, read("AWS_SESSION_TOKEN"));
    }

    private static Uri? EndpointOverride(string variable, string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"{variable} must be an absolute http or https URL (was '{value}')");
    }

    private static SsmReadException Malformed(string problem, byte[] body) =>
        new($"SSM GetParameters replied with JSON this reader does not understand: {problem}: {Excerpt(body)}", null, 200);

    private static string Excerpt(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200));
        return body.Length > 200 ? text + "..." : text;
    }
}

/// <summary>What <c>GetParameters</c> returned: the parameters found, and the names that do not exist.</summary>
internal sealed record SsmParameters(IReadOnlyList<SsmParameterValue> Found, IReadOnlyList<string> Missing);

/// <summary>One parameter's value and identity.</summary>
internal sealed record SsmParameterValue(string Name, string Value, long Version, string? Arn);

/// <summary>SSM answered with an error (<see cref="ErrorCode"/>, e.g. <c>ThrottlingException</c>) or a reply the reader cannot use.</summary>
internal sealed class SsmReadException(string message, string? errorCode, int httpStatus, Exception? inner = null) : Exception(message, inner)
{
    public string? ErrorCode { get; } = errorCode;

    public int HttpStatus { get; } = httpStatus;
}
