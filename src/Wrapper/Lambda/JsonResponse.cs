using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Edits a Lambda result as JSON: HTTP responses (<c>statusCode</c>, <c>headers</c>, <c>multiValueHeaders</c>,
/// <c>body</c>, <c>isBase64Encoded</c>, ALB's <c>statusDescription</c>) and SQS batch responses
/// (<c>batchItemFailures</c> of <c>{"itemIdentifier"}</c>). Existing members are found case-insensitively (a typed
/// result's JSON may use C# names); new ones get the wire names. Shared by typed and Stream handlers.
/// </summary>
internal static class JsonResponse
{
    /// <summary>Whether the JSON is an HTTP response (has a <c>statusCode</c>).</summary>
    public static bool IsHttp(JsonNode? node) => node is JsonObject response && Find(response, "statusCode", out _) is not null;

    /// <summary>Makes <paramref name="response"/> the answer of a status-code fault that runs instead of the handler.</summary>
    public static void Answer(JsonObject response, StatusCodeFaultSettings fault, string? header, string headerValue)
    {
        if (Find(response, "headers", out _) is not JsonObject)
        {
            Set(response, "headers", new JsonObject());
        }

        Set(response, "body", fault.Body ?? StatusCodeFaultSettings.DefaultBody);
        Set(response, "isBase64Encoded", false);
        ApplyStatus(response, fault, header, headerValue);
    }

    /// <summary>Sets the fault's status code (and body and headers, when set) and the header naming injected faults.</summary>
    public static void ApplyStatus(JsonObject response, StatusCodeFaultSettings fault, string? header, string headerValue)
    {
        Set(response, "statusCode", fault.StatusCode);
        Find(response, "statusDescription", out var description);
        if (description is not null)
        {
            // ALB only: present in the JSON of its typed response.
            response[description!] = $"{fault.StatusCode} {ReasonPhrase(fault.StatusCode)}";
        }

        if (fault.Body is not null)
        {
            Set(response, "body", fault.Body);
            Set(response, "isBase64Encoded", false);
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

    /// <summary>Sets one header (and its multi-value twin when that map is in use, as API Gateway v1 and ALB read both).</summary>
    public static void SetHeader(JsonObject response, string name, string value)
    {
        if (Find(response, "headers", out var headersKey) is not JsonObject headers)
        {
            headers = new JsonObject();
            response[headersKey ?? "headers"] = headers;
        }

        headers[name] = value;
        if (Find(response, "multiValueHeaders", out _) is JsonObject multi)
        {
            multi[name] = new JsonArray(value);
        }
    }

    /// <summary>Replaces the body with what <paramref name="rewrite"/> makes of it (the text as returned: base64 when encoded).</summary>
    public static void RewriteBody(JsonObject response, Func<string?, string?> rewrite)
    {
        var current = Find(response, "body", out _);
        var text = current is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
        Set(response, "body", rewrite(text));
    }

    /// <summary>The <c>itemIdentifier</c>s in <c>batchItemFailures</c>, in order.</summary>
    public static IEnumerable<string> BatchItemFailures(JsonNode node)
    {
        if (node is not JsonObject response || Find(response, "batchItemFailures", out _) is not JsonArray failures)
        {
            yield break;
        }

        foreach (var item in failures)
        {
            if (item is JsonObject failure && Find(failure, "itemIdentifier", out _) is JsonValue id && id.GetValueKind() == JsonValueKind.String)
            {
                yield return id.GetValue<string>();
            }
        }
    }

    /// <summary>Adds the ids to <c>batchItemFailures</c> (each once); false when the JSON is not an object.</summary>
    public static bool AddBatchItemFailures(JsonNode node, IReadOnlyList<string> messageIds)
    {
        if (node is not JsonObject response)
        {
            return false;
        }

        if (Find(response, "batchItemFailures", out var key) is not JsonArray failures)
        {
            failures = new JsonArray();
            response[key ?? "batchItemFailures"] = failures;
        }

        var existing = new HashSet<string>(BatchItemFailures(response), StringComparer.Ordinal);

        foreach (var id in messageIds)
        {
            if (existing.Add(id))
            {
                failures.Add((JsonNode)new JsonObject { ["itemIdentifier"] = id });
            }
        }

        return true;
    }

    /// <summary>The member named <paramref name="name"/> ignoring case; <paramref name="key"/> is its exact name (null when absent).</summary>
    public static JsonNode? Find(JsonObject target, string name, out string? key)
    {
        if (target.TryGetPropertyValue(name, out var exact))
        {
            key = name;
            return exact;
        }

        foreach (var pair in target)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                key = pair.Key;
                return pair.Value;
            }
        }

        key = null;
        return null;
    }

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Injected",
    };

    private static void Set(JsonObject target, string name, JsonNode? value)
    {
        Find(target, name, out var key);
        target[key ?? name] = value;
    }
}
