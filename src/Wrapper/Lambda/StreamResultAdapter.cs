using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Stream-in/Stream-out handlers: the result is the JSON Lambda returns, edited as JSON (HTTP responses by their
/// lowercase wire names <c>statusCode</c>, <c>headers</c>, <c>body</c>; SQS <c>batchItemFailures</c>).
/// </summary>
internal sealed class StreamResultAdapter : ResultAdapter<Stream>
{
    public static StreamResultAdapter Instance { get; } = new();

    public override bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out Stream result)
    {
        var response = new JsonObject
        {
            ["statusCode"] = fault.StatusCode,
            ["headers"] = new JsonObject(),
            ["body"] = fault.Body ?? StatusCodeFaultSettings.DefaultBody,
            ["isBase64Encoded"] = false,
        };
        ApplyStatus(response, fault, header, headerValue);
        result = ToStream(response);
        return true;
    }

    public override Stream ApplyStatus(Stream result, StatusCodeFaultSettings fault, string? header, string headerValue)
    {
        var (node, original) = Read(result);
        if (node is not JsonObject response)
        {
            return original;
        }

        ApplyStatus(response, fault, header, headerValue);
        return ToStream(response);
    }

    public override bool TryRewriteBody(Stream result, Func<string?, string?> rewrite, out Stream changed)
    {
        var (node, original) = Read(result);
        changed = original;
        if (node is not JsonObject response || !response.ContainsKey("statusCode"))
        {
            return false;
        }

        var body = response["body"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        response["body"] = rewrite(body);
        changed = ToStream(response);
        return true;
    }

    public override Stream TagHeader(Stream result, string header, string headerValue)
    {
        var (node, original) = Read(result);
        if (node is not JsonObject response || !response.ContainsKey("statusCode"))
        {
            return original;
        }

        SetHeader(response, header, headerValue);
        return ToStream(response);
    }

    public override Stream AddBatchItemFailures(Stream result, IReadOnlyList<string> messageIds)
    {
        var (node, original) = Read(result);
        var response = node as JsonObject;
        if (response is null)
        {
            if (node is not null)
            {
                return original;
            }

            response = new JsonObject();
        }

        if (response["batchItemFailures"] is not JsonArray failures)
        {
            failures = new JsonArray();
            response["batchItemFailures"] = failures;
        }

        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in failures)
        {
            if (item?["itemIdentifier"]?.GetValueKind() == JsonValueKind.String)
            {
                existing.Add(item["itemIdentifier"]!.GetValue<string>());
            }
        }

        foreach (var id in messageIds)
        {
            if (existing.Add(id))
            {
                failures.Add(new JsonObject { ["itemIdentifier"] = id });
            }
        }

        return ToStream(response);
    }

    public override bool CanReportBatchItemFailures => true;

    public override IReadOnlyList<string> BatchItemFailures(ref Stream result)
    {
        var (node, original) = Read(result);
        result = original;
        var ids = new List<string>();
        if (node is JsonObject { } response && response["batchItemFailures"] is JsonArray failures)
        {
            foreach (var item in failures)
            {
                if (item?["itemIdentifier"]?.GetValueKind() == JsonValueKind.String)
                {
                    ids.Add(item["itemIdentifier"]!.GetValue<string>());
                }
            }
        }

        return ids;
    }

    private static void ApplyStatus(JsonObject response, StatusCodeFaultSettings fault, string? header, string headerValue)
    {
        response["statusCode"] = fault.StatusCode;
        if (fault.Body is not null)
        {
            response["body"] = fault.Body;
            response["isBase64Encoded"] = false;
        }

        foreach (var pair in fault.Headers)
        {
            SetHeader(response, pair.Key, pair.Value);
        }

        if (!string.IsNullOrEmpty(header))
        {
            SetHeader(response, header, headerValue);
        }
    }

    private static void SetHeader(JsonObject response, string name, string value)
    {
        if (response["headers"] is not JsonObject headers)
        {
            headers = new JsonObject();
            response["headers"] = headers;
        }

        headers[name] = value;
        if (response["multiValueHeaders"] is JsonObject multi)
        {
            multi[name] = new JsonArray(value);
        }
    }

    /// <summary>Reads the handler's output; returns the parsed JSON (null when empty or not JSON) and a rewound copy.</summary>
    private static (JsonNode? Node, Stream Original) Read(Stream? result)
    {
        if (result is null)
        {
            return (null, new MemoryStream());
        }

        var buffer = new MemoryStream();
        result.CopyTo(buffer);
        buffer.Position = 0;
        try
        {
            return (buffer.Length == 0 ? null : JsonNode.Parse(buffer), Rewind(buffer));
        }
        catch (JsonException)
        {
            return (JsonValue.Create("not json"), Rewind(buffer));
        }
    }

    private static MemoryStream Rewind(MemoryStream stream)
    {
        stream.Position = 0;
        return stream;
    }

    private static MemoryStream ToStream(JsonNode node)
    {
        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            node.WriteTo(writer);
        }

        stream.Position = 0;
        return stream;
    }
}
