using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Reads a dot-separated path out of an event: JSON (<see cref="JsonElement"/>, <see cref="JsonNode"/>; typed events
/// arrive as their JSON, see <see cref="JsonShapes.Readable{TEvent}"/>), dictionaries (headers) and lists (by index).
/// Names match case-insensitively unless asked otherwise. A member that is absent or null reads as absent, which means
/// "no match" — never an error.
/// </summary>
internal static class EventReader
{
    /// <summary>The text at the path; <paramref name="exactCase"/>: names must match exactly (a typed member by its camelCase JSON name too).</summary>
    public static string? ReadText(object? root, string[] segments, bool exactCase = false)
    {
        var value = Navigate(root, segments, exactCase);
        return ToText(value);
    }

    public static object? Navigate(object? current, string[] segments, bool exactCase = false)
    {
        foreach (var segment in segments)
        {
            if (current is null)
            {
                return null;
            }

            current = Step(current, segment, exactCase);
        }

        return current is JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } ? null : current;
    }

    /// <summary>Enumerates the items of a list-like value (array, list, JSON array).</summary>
    public static IEnumerable<object?> Items(object? value)
    {
        switch (value)
        {
            case JsonElement { ValueKind: JsonValueKind.Array } array:
                foreach (var item in array.EnumerateArray())
                {
                    yield return item;
                }

                break;
            case string:
                break;
            case IEnumerable enumerable:
                foreach (var item in enumerable)
                {
                    yield return item;
                }

                break;
        }
    }

    public static string? ToText(object? value) => value switch
    {
        null => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        JsonElement element => element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => element.GetRawText(),
        },
        JsonValue node => node.TryGetValue<string>(out var text) ? text : node.ToJsonString(),
        JsonNode node => node.ToJsonString(),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static object? Step(object current, string segment, bool exactCase)
    {
        switch (current)
        {
            case JsonElement element:
                return StepJson(element, segment, exactCase);
            case JsonObject jsonObject:
                return jsonObject.TryGetPropertyValue(segment, out var node) ? node : exactCase ? null : FindIgnoringCase(jsonObject, segment);
            case JsonArray jsonArray:
                return TryIndex(segment, jsonArray.Count, out var jsonIndex) ? jsonArray[jsonIndex] : null;
            case IDictionary<string, string> strings:
                return strings.TryGetValue(segment, out var found) ? found : exactCase ? null : FindIgnoringCase(strings, segment);
            case IDictionary<string, object> objects:
                return objects.TryGetValue(segment, out var foundObject) ? foundObject : exactCase ? null : FindIgnoringCase(objects, segment);
            case IDictionary dictionary:
                return dictionary.Contains(segment) ? dictionary[segment] : null;
            case IList list:
                return TryIndex(segment, list.Count, out var index) ? list[index] : null;
            default:
                return null;
        }
    }

    private static object? StepJson(JsonElement element, string segment, bool exactCase)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            if (element.TryGetProperty(segment, out var exact))
            {
                return exact;
            }

            if (exactCase)
            {
                // Exact case: the name itself, or a typed member's C# name written as camelCase (RequestContext for requestContext).
                foreach (var property in element.EnumerateObject())
                {
                    if (segment.Length > 0 && property.Name.Length == segment.Length && char.ToLowerInvariant(property.Name[0]) == segment[0] && property.Name.AsSpan(1).SequenceEqual(segment.AsSpan(1)))
                    {
                        return property.Value;
                    }
                }

                return null;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, segment, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }

            return null;
        }

        if (element.ValueKind == JsonValueKind.Array && TryIndex(segment, element.GetArrayLength(), out var index))
        {
            return element[index];
        }

        return null;
    }

    private static TValue? FindIgnoringCase<TValue>(IEnumerable<KeyValuePair<string, TValue>> pairs, string key)
    {
        foreach (var pair in pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return default;
    }

    private static bool TryIndex(string segment, int count, out int index) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out index) && index < count;
}
