using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Xml;

namespace ServerlessChaos.Aws.Http;

/// <summary>
/// Reads the AWS error code and message from an error reply of the JSON protocols (JSON 1.0/1.1,
/// REST-JSON, and query-compatible JSON): <c>x-amzn-query-error</c> (<c>Code;Sender</c>), then
/// <c>x-amzn-ErrorType</c>, then the body's <c>__type</c> / <c>code</c>; a code loses any
/// <c>namespace#</c> prefix and <c>:suffix</c>. An XML error body (<c>&lt;Code&gt;</c>, <c>&lt;Message&gt;</c>), which
/// AWS front ends and emulators send for signature and authorization failures even on JSON APIs, is read too.
/// </summary>
internal static class AwsErrorParser
{
    public const string UnknownErrorCode = "UnknownError";

    public static (string Code, string Message) Parse(int status, HttpResponseHeaders headers, string? contentType, byte[] body)
    {
        string? code = null;
        string? message = null;
        string? bodyProblem = null;

        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    code = StringProperty(document.RootElement, "__type") ?? StringProperty(document.RootElement, "code") ?? StringProperty(document.RootElement, "Code");
                    message = StringProperty(document.RootElement, "message") ?? StringProperty(document.RootElement, "Message") ?? StringProperty(document.RootElement, "errorMessage");
                }
                else
                {
                    bodyProblem = $"the error body is JSON but not an object ({document.RootElement.ValueKind})";
                }
            }
            catch (JsonException)
            {
                (code, message) = XmlError(body);
                bodyProblem = $"the error body is not JSON ({contentType ?? "no content type"}): {Snippet(body)}";
            }
        }
        else
        {
            bodyProblem = "the error reply has an empty body";
        }

        var queryError = FirstHeader(headers, "x-amzn-query-error");
        if (queryError is not null)
        {
            var semicolon = queryError.IndexOf(';', StringComparison.Ordinal);
            var queryCode = semicolon > 0 ? queryError[..semicolon] : queryError;
            if (queryCode.Length > 0)
            {
                code = queryCode;
            }
        }

        code ??= FirstHeader(headers, "x-amzn-ErrorType");
        code = code is null ? null : Sanitize(code);
        if (string.IsNullOrEmpty(code))
        {
            code = UnknownErrorCode;
        }

        message ??= bodyProblem ?? $"HTTP {status} without an error message";
        return (code, message);
    }

    /// <summary>"aws.protocoltests#Code:http://internal" becomes "Code".</summary>
    public static string Sanitize(string code)
    {
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        return (hash >= 0 ? code[(hash + 1)..] : code).Trim();
    }

    /// <summary>The start of a body, printable, for error messages.</summary>
    public static string Snippet(byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 200)).ReplaceLineEndings(" ").Trim();
        return body.Length > 200 ? text + "…" : text;
    }

    public static string? FirstHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The first <c>Code</c> and <c>Message</c> elements of an XML error body (nulls when it is not one).</summary>
    private static (string? Code, string? Message) XmlError(byte[] body)
    {
        if (body.AsSpan().TrimStart(" \t\r\n"u8) is not [(byte)'<', ..])
        {
            return (null, null);
        }

        string? code = null;
        string? message = null;
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            reader.Read();
            while ((code is null || message is null) && !reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "Code" or "Message")
                {
                    // Reading the content moves to the next node, so no Read() after it.
                    var name = reader.LocalName;
                    var text = reader.ReadElementContentAsString().Trim();
                    if (name == "Code")
                    {
                        code ??= text;
                    }
                    else
                    {
                        message ??= text;
                    }
                }
                else
                {
                    reader.Read();
                }
            }
        }
        catch (XmlException)
        {
            // An HTML page or a cut reply: what was read so far stands, the caller reports the body.
        }

        return (code is { Length: > 0 } ? code : null, message is { Length: > 0 } ? message : null);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
