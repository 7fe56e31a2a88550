using System.Text;
using System.Text.Json.Nodes;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.Signing;
using ServerlessChaos.Aws.Tests.Support;

namespace ServerlessChaos.Aws.Tests.Reference;

/// <summary>
/// Captures what our client sends for an operation and compares it with the JS SDK's request:
/// method, path, query, the set of signed headers and their values, the body as JSON, and the
/// Authorization header. The bodies may differ in bytes (key order), so Authorization is compared
/// after signing our request over the JS SDK's body bytes; when the bytes are identical, our
/// on-the-wire Authorization must equal the JS SDK's as well.
/// </summary>
public static class ReferenceComparison
{
    public static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token");

    public static AwsClientOptions Options(HttpMessageHandler handler) => new()
    {
        Region = "us-east-1",
        Credentials = new StaticCredentialsProvider(Credentials),
        Endpoint = new Uri("http://127.0.0.1:1"),
        HttpMessageHandler = handler,
        TimeProvider = new ManualTimeProvider(TestClients.FixedTime),
        Retry = new AwsRetryOptions { MaxAttempts = 1 },
    };

    public static async Task<CapturedRequest> CaptureAsync(Func<AwsClientOptions, Task> call, params string[] cannedReplies)
    {
        var error = await Should.ThrowAsync<RequestCapturedException>(() => call(Options(new CapturingHandler(cannedReplies))));
        return error.Request;
    }

    /// <returns>True when our body bytes equal the JS SDK's.</returns>
    public static bool AssertSameRequest(JsRequest js, CapturedRequest ours)
    {
        ours.Method.ShouldBe(js.Method, $"{js.Id}: method");
        ours.Uri.AbsolutePath.ShouldBe(js.Path, $"{js.Id}: path");
        ParseQuery(ours.Uri.Query).OrderBy(p => p.Key).ShouldBe(js.Query.OrderBy(p => p.Key), $"{js.Id}: query");

        var jsSigned = SignedHeaders(js.Headers["authorization"]);
        var ourSigned = SignedHeaders(ours.Headers["authorization"]);
        ourSigned.ShouldBe(jsSigned, $"{js.Id}: signed headers");

        var jsBody = js.Body is null ? null : Encoding.UTF8.GetBytes(js.Body);
        var sameBytes = (jsBody ?? []).AsSpan().SequenceEqual(ours.Body ?? []);
        foreach (var name in jsSigned.Where(n => sameBytes || (n != "content-length" && n != "x-amz-content-sha256")))
        {
            ours.Headers[name].ShouldBe(js.Headers[name], $"{js.Id}: header {name}");
        }

        if (jsBody is null || jsBody.Length == 0)
        {
            (ours.Body ?? []).ShouldBeEmpty($"{js.Id}: body");
        }
        else
        {
            var equal = JsonNode.DeepEquals(JsonNode.Parse(jsBody), JsonNode.Parse(ours.Body ?? []));
            equal.ShouldBeTrue($"{js.Id}: body\n  ours: {Encoding.UTF8.GetString(ours.Body ?? [])}\n  js:   {js.Body}");
        }

        // Sign our request over the JS SDK's body bytes: only the body bytes may differ.
        var scope = ours.Headers["authorization"].Split("Credential=")[1].Split(',')[0].Split('/');
        var resigned = new SigningRequest(ours.Method, ours.Uri, jsBody ?? []);
        foreach (var name in ourSigned.Where(n => n is not ("host" or "x-amz-date" or "x-amz-security-token" or "x-amz-content-sha256")))
        {
            resigned.SetHeader(name, name == "content-length" ? (jsBody?.Length ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture) : ours.Headers[name]);
        }

        SigV4Signer.Sign(resigned, Credentials, scope[2], scope[3], TestClients.FixedTime);
        resigned.GetHeader("authorization").ShouldBe(js.Headers["authorization"], $"{js.Id}: Authorization over the same body bytes");

        if (sameBytes)
        {
            ours.Headers["authorization"].ShouldBe(js.Headers["authorization"], $"{js.Id}: Authorization on the wire");
        }

        return sameBytes;
    }

    public static IReadOnlyList<string> SignedHeaders(string authorization) =>
        authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : "");
}
