using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// The one way the wrapper reads and rewrites typed events and results: through the System.Text.Json metadata the
/// function already has (<see cref="ChaosOptions.JsonTypeInfoResolver"/>, the <c>JsonSerializerContext</c> its
/// serializer uses), so nested members (<c>requestContext.http.method</c>, <c>Records.0.messageId</c>) work under Native
/// AOT, where reflection finds nothing. A typed value is turned into JSON with that metadata, read or edited as JSON,
/// and turned back; member names match case-insensitively, so the real types' wire names and C# names both work.
/// </summary>
/// <remarks>
/// Use: <c>shapes.Readable(input)</c> gives a root for <see cref="EventReader"/>; <c>shapes.TryRewrite(value, edit,
/// out changed)</c> edits a typed event or result as a <see cref="JsonNode"/> (see <see cref="EventRecords"/> for
/// <c>Records</c>, <see cref="JsonResponse"/> for HTTP responses and batch failures); <c>shapes.Results&lt;T&gt;()</c>
/// gives the result adapter. Without metadata for a type every method reports "cannot apply" (false or null): the
/// caller logs it once per settings version. Under the JIT with no resolver given, the reflection-based
/// <see cref="DefaultJsonTypeInfoResolver"/> is used; under Native AOT there is no such fallback.
/// </remarks>
internal sealed class JsonShapes
{
    private const string ReflectionJustification =
        "Only used when the runtime can generate code and System.Text.Json reflection is enabled (the JIT); Native AOT " +
        "and trimmed publishing turn JsonSerializer.IsReflectionEnabledByDefault off, and then a resolver must be given.";

    private readonly IJsonTypeInfoResolver? _resolver;
    private readonly ConcurrentDictionary<Type, JsonTypeInfo?> _types = new();
    private readonly ConcurrentDictionary<Type, object> _results = new();
    private JsonSerializerOptions? _options;

    public JsonShapes(IJsonTypeInfoResolver? resolver) => _resolver = resolver ?? ReflectionResolverWhenAvailable();

    /// <summary>Whether any metadata source is available (a resolver was given, or the JIT's reflection fallback).</summary>
    public bool HasResolver => _resolver is not null;

    /// <summary>
    /// A copy of the function's own options (converters, naming), relaxed so edited JSON always reads back; made on first
    /// use (a fault that reads or edits a typed value), not when the wrapper is created, which is on the cold start.
    /// </summary>
    private JsonSerializerOptions? Options
    {
        get
        {
            if (_options is not null || _resolver is null)
            {
                return _options;
            }

            var options = _resolver is JsonSerializerContext context
                ? new JsonSerializerOptions(context.Options)
                : new JsonSerializerOptions { TypeInfoResolver = _resolver };
            options.PropertyNameCaseInsensitive = true;
            options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            options.Converters.Add(new MemoryStreamConverter());
            options.MakeReadOnly();
            return Interlocked.CompareExchange(ref _options, options, null) ?? options;
        }
    }

    /// <summary>The metadata for <typeparamref name="T"/>, or null when the resolver does not know the type.</summary>
    public JsonTypeInfo<T>? TypeInfo<T>() => TypeInfo(typeof(T)) as JsonTypeInfo<T>;

    /// <summary>The metadata for <paramref name="type"/>, or null when the resolver does not know it.</summary>
    public JsonTypeInfo? TypeInfo(Type type) => Options is not { } jsonOptions ? null : _types.GetOrAdd(type, static (t, options) =>
    {
        try
        {
            return options.GetTypeInfo(t);
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }, jsonOptions);

    /// <summary>
    /// The event as something <see cref="EventReader"/> navigates: JSON and dictionaries as they are, typed events as
    /// their JSON. Null when the event is null or its type has no metadata (<paramref name="unreadable"/> is then true).
    /// </summary>
    public object? Readable<TEvent>(TEvent input, out bool unreadable)
    {
        unreadable = false;
        switch (input)
        {
            case null:
                return null;
            case JsonElement or JsonNode or string or System.Collections.IDictionary or IDictionary<string, string> or IDictionary<string, object>:
                return input;
        }

        var info = TypeInfo<TEvent>();
        if (info is null)
        {
            unreadable = true;
            return null;
        }

        try
        {
            return JsonSerializer.SerializeToElement(input, info);
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
        {
            unreadable = true;
            return null;
        }
    }

    /// <summary>
    /// Rewrites a typed value (event or result) as JSON: <paramref name="edit"/> gets its JSON (that of an empty
    /// instance when the value is null) and returns whether it changed anything. False when the type has no metadata, the edit
    /// declined, or the edited JSON does not read back as <typeparamref name="T"/>; <paramref name="rewritten"/> is then
    /// <paramref name="value"/>.
    /// </summary>
    public bool TryRewrite<T>(T value, Func<JsonNode, bool> edit, out T rewritten)
    {
        rewritten = value;
        var info = TypeInfo<T>();
        if (info is null)
        {
            return false;
        }

        try
        {
            // A null value starts as the type's empty instance, so every member it has is in the JSON.
            var start = value is null ? JsonSerializer.Deserialize("{}"u8, info)! : value;
            if (JsonSerializer.SerializeToNode(start, info) is not { } node || !edit(node))
            {
                return false;
            }

            var result = node.Deserialize(info);
            if (result is null)
            {
                return false;
            }

            rewritten = result;
            return true;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
        {
            return false;
        }
    }

    /// <summary>Whether <typeparamref name="T"/> is an object with a member named <paramref name="name"/> (case-insensitive).</summary>
    public bool HasMember<T>(string name, Type? type = null) => HasMember(TypeInfo<T>(), name, type);

    /// <summary>The result adapter for <typeparamref name="TResult"/>, made once per type.</summary>
    public ResultAdapter<TResult> Results<TResult>() =>
        (ResultAdapter<TResult>)_results.GetOrAdd(typeof(TResult), static (_, shapes) => new TypedResultAdapter<TResult>(shapes), this);

    internal static bool HasMember(JsonTypeInfo? info, string name, Type? type)
    {
        if (info is null || info.Kind != JsonTypeInfoKind.Object)
        {
            return false;
        }

        foreach (var property in info.Properties)
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && (type is null || property.PropertyType == type))
            {
                return true;
            }
        }

        return false;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = ReflectionJustification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = ReflectionJustification)]
    private static IJsonTypeInfoResolver? ReflectionResolverWhenAvailable() =>
        RuntimeFeature.IsDynamicCodeSupported && JsonSerializer.IsReflectionEnabledByDefault ? new DefaultJsonTypeInfoResolver() : null;
}
