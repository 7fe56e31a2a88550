using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Infra.Settings;

/// <summary>Turns a CDK context value (as the JSII runtime hands it over) into a <see cref="JsonNode"/>.</summary>
internal static class ContextJson
{
    /// <summary>Converts dictionaries, arrays and primitives (Newtonsoft tokens included).</summary>
    public static JsonNode? ToJsonNode(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonNode node:
                return node.DeepClone();
            case string text:
                return JsonValue.Create(text);
            case bool flag:
                return JsonValue.Create(flag);
            case IDictionary dictionary:
                var obj = new JsonObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    obj[Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!] = ToJsonNode(entry.Value);
                }

                return obj;
            case IEnumerable items when value.GetType().FullName?.StartsWith("Newtonsoft.", StringComparison.Ordinal) != true:
                var array = new JsonArray();
                foreach (var item in items)
                {
                    array.Add(ToJsonNode(item));
                }

                return array;
            case IConvertible number when value is not char:
                // Through text, so the value reads back as any numeric type (int, long, double).
                return JsonNode.Parse(number.ToDecimal(CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
            default:
                // Newtonsoft tokens (the JSII runtime's JSON library): a JValue wraps a primitive, others print as JSON.
                if (value.GetType().Name == "JValue")
                {
                    return ToJsonNode(value.GetType().GetProperty("Value")?.GetValue(value));
                }

                return JsonNode.Parse(value.ToString() ?? "null");
        }
    }
}
