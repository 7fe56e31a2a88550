using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Stream-in/Stream-out handlers: the result is the JSON Lambda returns, edited with <see cref="JsonResponse"/>
/// (HTTP responses by their wire names <c>statusCode</c>, <c>headers</c>, <c>body</c>; SQS <c>batchItemFailures</c>).
/// </summary>
internal sealed class StreamResultAdapter : ResultAdapter<Stream>
{
    public static StreamResultAdapter Instance { get; } = new();

    public override string Shape => "Stream";

    public override bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out Stream result)
    {
        var response = new JsonObject { ["statusCode"] = fault.StatusCode };
        JsonResponse.Answer(response, fault, header, headerValue);
        result = ToStream(response);
        return true;
    }

    public override bool TryApplyStatus(Stream result, StatusCodeFaultSettings fault, string? header, string headerValue, out Stream changed) =>
        TryEdit(result, node =>
        {
            if (node is not JsonObject response)
            {
                return false;
            }

            JsonResponse.ApplyStatus(response, fault, header, headerValue);
            return true;
        }, out changed);

    public override Stream TagHeader(Stream result, string header, string headerValue)
    {
        TryEdit(result, node =>
        {
            if (!JsonResponse.IsHttp(node))
            {
                return false;
            }

            JsonResponse.SetHeader((JsonObject)node!, header, headerValue);
            return true;
        }, out var changed);
        return changed;
    }

    public override bool TryAddBatchItemFailures(Stream result, IReadOnlyList<string> messageIds, out Stream changed) =>
        TryEdit(result, node => JsonResponse.AddBatchItemFailures(node ?? new JsonObject(), messageIds), out changed, emptyIsObject: true);

    public override bool TryRewriteBody(Stream result, Func<string?, string?> rewrite, out Stream changed) =>
        TryEdit(result, node =>
        {
            if (!JsonResponse.IsHttp(node))
            {
                return false;
            }

            JsonResponse.RewriteBody((JsonObject)node!, rewrite);
            return true;
        }, out changed);

    public override bool CanReportBatchItemFailures => true;

    public override IReadOnlyList<string> BatchItemFailures(ref Stream result)
    {
        var ids = new List<string>();
        TryEdit(result, node =>
        {
            if (node is not null)
            {
                ids.AddRange(JsonResponse.BatchItemFailures(node));
            }

            return false;
        }, out result);
        return ids;
    }

    /// <summary>
    /// Reads the handler's output as JSON and lets <paramref name="edit"/> change it; <paramref name="changed"/> is the
    /// edited JSON, or the original bytes rewound when the output is not JSON or the edit declined.
    /// </summary>
    private static bool TryEdit(Stream? result, Func<JsonNode?, bool> edit, out Stream changed, bool emptyIsObject = false)
    {
        var buffer = new MemoryStream();
        result?.CopyTo(buffer);
        buffer.Position = 0;
        changed = buffer;
        JsonNode? node;
        try
        {
            node = buffer.Length == 0 ? null : JsonNode.Parse(buffer);
        }
        catch (JsonException)
        {
            buffer.Position = 0;
            return false;
        }

        buffer.Position = 0;
        if (node is null && emptyIsObject)
        {
            node = new JsonObject();
        }

        if (!edit(node) || node is null)
        {
            return false;
        }

        changed = ToStream(node);
        return true;
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
