using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Makes fresh instances of what one JSON document reads back as, without reading the JSON each time: a new object from
/// the type's metadata, given the members the document sets, with the values it read. Strings and plain values
/// (numbers, booleans, enums) are immutable and shared; a string dictionary (HTTP headers) is copied, so every instance
/// is the caller's own. For a type or a member that is not that simple there is no copier: read the JSON each time.
/// </summary>
internal sealed class FreshCopy<T>
{
    private readonly Func<object> _create;
    private readonly Member[] _members;

    private FreshCopy(Func<object> create, Member[] members)
    {
        _create = create;
        _members = members;
    }

    /// <summary>One member the document sets: its setter and the value read (a dictionary is copied per instance).</summary>
    private readonly record struct Member(Action<object, object?> Set, object? Value, bool Copy);

    /// <summary>A new instance, equal to what <c>JsonSerializer.Deserialize(json, info)</c> returns.</summary>
    public T Next()
    {
        var instance = _create();
        foreach (var member in _members)
        {
            member.Set(instance, member.Copy ? CopyOf((Dictionary<string, string>)member.Value!) : member.Value);
        }

        return (T)instance;
    }

    /// <summary>The copier for <paramref name="json"/> (an object whose members are all properties of the type), or null.</summary>
    public static FreshCopy<T>? TryCreate(JsonTypeInfo<T> info, byte[] json)
    {
        // Only what Deserialize does by setting the properties of a new object one by one: no struct, constructor
        // parameters, callbacks, polymorphism or populated members, whose effects a copy of the values would not repeat.
        if (typeof(T).IsValueType || info.Kind != JsonTypeInfoKind.Object || ((JsonTypeInfo)info).CreateObject is not { } create || info.PolymorphismOptions is not null
            || info.OnDeserializing is not null || info.OnDeserialized is not null)
        {
            return null;
        }

        var read = JsonSerializer.Deserialize(json, info);
        if (read is null)
        {
            return null;
        }

        var members = new List<Member>();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Skip();
            var property = Property(info, name);
            if (property is not { Set: { } set, Get: { } get } || property.IsExtensionData
                || property.ObjectCreationHandling == System.Text.Json.Serialization.JsonObjectCreationHandling.Populate)
            {
                return null;
            }

            var value = get(read);
            if (value is Dictionary<string, string> headers && headers.GetType() == typeof(Dictionary<string, string>))
            {
                members.Add(new Member(set, headers, Copy: true));
            }
            else if (value is null || IsImmutable(value))
            {
                members.Add(new Member(set, value, Copy: false));
            }
            else
            {
                return null;
            }
        }

        return info.PreferredPropertyObjectCreationHandling == System.Text.Json.Serialization.JsonObjectCreationHandling.Populate
            ? null
            : new FreshCopy<T>(create, [.. members]);
    }

    private static JsonPropertyInfo? Property(JsonTypeInfo info, string? name)
    {
        foreach (var property in info.Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }

    /// <summary>Values that cannot be changed once read: sharing one between instances is the same as reading it twice.</summary>
    private static bool IsImmutable(object value) =>
        value is string or decimal or DateTime or DateTimeOffset or TimeSpan or Guid || value.GetType().IsPrimitive || value.GetType().IsEnum;

    private static Dictionary<string, string> CopyOf(Dictionary<string, string> headers)
    {
        // Added one by one over the struct enumerator: the copy constructor may enumerate through the interface (a boxed enumerator).
        var copy = new Dictionary<string, string>(headers.Count, headers.Comparer);
        foreach (var pair in headers)
        {
            copy.Add(pair.Key, pair.Value);
        }

        return copy;
    }
}
