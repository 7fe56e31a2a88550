using System.Globalization;
using System.Text.Json;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>What the container, instance metadata and STS credential sources share.</summary>
internal static class CredentialsHttp
{
    public static async Task<string> SendAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout, string source, CancellationToken cancellationToken)
    {
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            using var response = await http.SendAsync(request, timeoutSource.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeoutSource.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new AwsCredentialsException($"{source}: {request.Method} {request.RequestUri} answered HTTP {(int)response.StatusCode}: {Shorten(body)}");
            }

            return body;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AwsCredentialsException($"{source}: {request.Method} {request.RequestUri} did not answer within {timeout.TotalMilliseconds:0} ms", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new AwsCredentialsException($"{source}: {request.Method} {request.RequestUri} failed: {ex.Message}", ex);
        }
    }

    /// <summary>Reads the JSON document that ECS and IMDS both serve: AccessKeyId, SecretAccessKey, Token, Expiration.</summary>
    public static AwsCredentials ParseJsonCredentials(string body, string source)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new AwsCredentialsException($"{source}: the credentials document is not a JSON object");
            }

            string? Field(string name) =>
                root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

            var code = Field("Code");
            if (code is not null && code != "Success")
            {
                throw new AwsCredentialsException($"{source}: the credentials document says Code={code}: {Field("Message")}");
            }

            var accessKey = Field("AccessKeyId") ?? throw new AwsCredentialsException($"{source}: the credentials document has no AccessKeyId");
            var secret = Field("SecretAccessKey") ?? throw new AwsCredentialsException($"{source}: the credentials document has no SecretAccessKey");
            return new AwsCredentials(accessKey, secret, Field("Token"), ParseExpiration(Field("Expiration"), source));
        }
        catch (JsonException ex)
        {
            throw new AwsCredentialsException($"{source}: the credentials document is not valid JSON: {Shorten(body)}", ex);
        }
    }

    public static DateTimeOffset? ParseExpiration(string? text, string source)
    {
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expiration)
            ? expiration
            : throw new AwsCredentialsException($"{source}: Expiration is not a timestamp (was '{text}')");
    }

    public static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
