using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace ServerlessChaos.Aws.Http;

/// <summary>A reply field is missing or has the wrong type; the message names the field.</summary>
internal sealed class ResponseShapeException : Exception
{
    public ResponseShapeException(string message)
        : base(message)
    {
    }
}

/// <summary>Writing request bodies and reading reply fields without reflection (trim/AOT safe).</summary>
internal static class Json
{
    // Escape only what JSON requires (as JSON.stringify does): the body is not HTML, and
    // identical bytes keep our signatures identical to the AWS SDKs'.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string? String(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(path, name, "a string", value);
    }

    public static string RequiredString(JsonElement parent, string name, string path) =>
        String(parent, name, path) ?? throw new ResponseShapeException($"{Join(path, name)} is missing from the reply");

    public static long? Long(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw WrongType(path, name, "an integer", value);
    }

    public static int? Int(JsonElement parent, string name, string path)
    {
        var value = Long(parent, name, path);
        return value is null ? null : value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new ResponseShapeException($"{Join(path, name)} is out of range ({value})");
    }

    public static double? Double(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw WrongType(path, name, "a number", value);
    }

    public static bool? Bool(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(path, name, "a boolean", value),
        };
    }

    /// <summary>JSON protocols send timestamps as epoch seconds (a number), sometimes as ISO 8601 text.</summary>
    public static DateTimeOffset? Timestamp(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDouble() * 1000));
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        throw WrongType(path, name, "a timestamp (epoch seconds or ISO 8601)", value);
    }

    public static JsonElement? Object(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(path, name, "an object", value);
    }

    public static JsonElement RequiredObject(JsonElement parent, string name, string path) =>
        Object(parent, name, path) ?? throw new ResponseShapeException($"{Join(path, name)} is missing from the reply");

    /// <summary>The items of an array (missing = empty), each with its path for errors.</summary>
    public static IEnumerable<(JsonElement Item, string Path)> Array(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(path, name, "an array", value);
        }

        var fullName = Join(path, name);
        return value.EnumerateArray().Select((item, index) => (item, $"{fullName}[{index}]"));
    }

    public static JsonElement ExpectObject(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new ResponseShapeException($"{path} must be an object (was {element.ValueKind})");

    public static string ExpectString(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new ResponseShapeException($"{path} must be a string (was {element.ValueKind})");

    /// <summary>A string-to-string map (missing = empty).</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonElement parent, string name, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var element = Object(parent, name, path);
        if (element is null)
        {
            return map;
        }

        foreach (var property in element.Value.EnumerateObject())
        {
            map[property.Name] = ExpectString(property.Value, $"{Join(path, name)}.{property.Name}");
        }

        return map;
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static ResponseShapeException WrongType(string path, string name, string expected, JsonElement actual) =>
        new($"{Join(path, name)} must be {expected} (was {actual.ValueKind})");
}
