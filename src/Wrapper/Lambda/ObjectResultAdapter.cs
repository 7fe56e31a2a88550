using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Works with result classes by their member names, as the real Amazon.Lambda types have them:
/// <c>APIGatewayProxyResponse</c>, <c>APIGatewayHttpApiV2ProxyResponse</c>, <c>ApplicationLoadBalancerResponse</c>
/// (<c>StatusCode</c>, <c>Headers</c>, <c>MultiValueHeaders</c>, <c>Body</c>, <c>IsBase64Encoded</c>, <c>StatusDescription</c>)
/// and <c>SQSBatchResponse</c> (<c>BatchItemFailures</c> of items with <c>ItemIdentifier</c>). Names match case-insensitively.
/// </summary>
internal sealed class ObjectResultAdapter<[DynamicallyAccessedMembers(Shapes.Result)] TResult> : ResultAdapter<TResult>
{
    private const string NestedTrimJustification =
        "The batch item type is reached through the result's BatchItemFailures list; the function's code creates such " +
        "items itself, which keeps their constructor and ItemIdentifier. If trimmed anyway, the fault is skipped and logged.";

    private static readonly PropertyInfo? StatusCodeProperty = Find("StatusCode", typeof(int));
    private static readonly PropertyInfo? BodyProperty = Find("Body", typeof(string));
    private static readonly PropertyInfo? HeadersProperty = Find("Headers", null);
    private static readonly PropertyInfo? MultiValueHeadersProperty = Find("MultiValueHeaders", null);
    private static readonly PropertyInfo? IsBase64Property = Find("IsBase64Encoded", typeof(bool));
    private static readonly PropertyInfo? StatusDescriptionProperty = Find("StatusDescription", typeof(string));
    private static readonly PropertyInfo? BatchItemFailuresProperty = Find("BatchItemFailures", null);
    private static readonly bool Constructible = typeof(TResult).IsClass && !typeof(TResult).IsAbstract && typeof(TResult).GetConstructor(Type.EmptyTypes) is not null;

    public static ObjectResultAdapter<TResult> Instance { get; } = new();

    public override bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out TResult result)
    {
        result = default!;
        if (StatusCodeProperty?.SetMethod is null || !Constructible)
        {
            return false;
        }

        result = (TResult)Activator.CreateInstance(typeof(TResult))!;
        Set(BodyProperty, result, fault.Body ?? StatusCodeFaultSettings.DefaultBody);
        Set(IsBase64Property, result, false);
        result = ApplyStatus(result, fault, header, headerValue);
        return true;
    }

    public override TResult ApplyStatus(TResult result, StatusCodeFaultSettings fault, string? header, string headerValue)
    {
        if (result is null || StatusCodeProperty?.SetMethod is null)
        {
            return result;
        }

        StatusCodeProperty.SetValue(result, fault.StatusCode);
        Set(StatusDescriptionProperty, result, StatusDescription(fault.StatusCode));
        if (fault.Body is not null)
        {
            Set(BodyProperty, result, fault.Body);
            Set(IsBase64Property, result, false);
        }

        foreach (var pair in fault.Headers)
        {
            SetHeader(result, pair.Key, pair.Value);
        }

        if (!string.IsNullOrEmpty(header))
        {
            SetHeader(result, header, headerValue);
        }

        return result;
    }

    public override bool TryRewriteBody(TResult result, Func<string?, string?> rewrite, out TResult changed)
    {
        changed = result;
        if (result is null || StatusCodeProperty is null || BodyProperty?.SetMethod is null)
        {
            return false;
        }

        BodyProperty.SetValue(result, rewrite((string?)BodyProperty.GetValue(result)));
        return true;
    }

    public override TResult TagHeader(TResult result, string header, string headerValue)
    {
        if (result is not null && StatusCodeProperty is not null)
        {
            SetHeader(result, header, headerValue);
        }

        return result;
    }

    public override TResult AddBatchItemFailures(TResult result, IReadOnlyList<string> messageIds)
    {
        if (BatchItemFailuresProperty is null || messageIds.Count == 0)
        {
            return result;
        }

        if (result is null)
        {
            if (!Constructible)
            {
                return result;
            }

            result = (TResult)Activator.CreateInstance(typeof(TResult))!;
        }

        AddFailures(result, messageIds);
        return result;
    }

    public override bool CanReportBatchItemFailures => BatchItemFailuresProperty is not null;

    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = NestedTrimJustification)]
    public override IReadOnlyList<string> BatchItemFailures(ref TResult result)
    {
        var ids = new List<string>();
        if (result is null || BatchItemFailuresProperty?.GetValue(result) is not IList list)
        {
            return ids;
        }

        foreach (var item in list)
        {
            if (item?.GetType().GetProperty("ItemIdentifier", BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.GetValue(item) is string id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2062", Justification = NestedTrimJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2065", Justification = NestedTrimJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2072", Justification = NestedTrimJustification)]
    [UnconditionalSuppressMessage("Trimming", "IL2075", Justification = NestedTrimJustification)]
    private static void AddFailures(TResult result, IReadOnlyList<string> messageIds)
    {
        var listType = BatchItemFailuresProperty!.PropertyType;
        if (BatchItemFailuresProperty.GetValue(result) is not IList list)
        {
            if (listType.IsInterface || listType.IsAbstract || BatchItemFailuresProperty.SetMethod is null)
            {
                return;
            }

            list = (IList)Activator.CreateInstance(listType)!;
            BatchItemFailuresProperty.SetValue(result, list);
        }

        var itemType = listType.IsGenericType ? listType.GetGenericArguments()[0] : null;
        var identifier = itemType?.GetProperty("ItemIdentifier", BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (itemType is null || identifier?.SetMethod is null)
        {
            return;
        }

        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            if (item is not null && identifier.GetValue(item) is string id)
            {
                existing.Add(id);
            }
        }

        foreach (var id in messageIds)
        {
            if (existing.Add(id))
            {
                var item = Activator.CreateInstance(itemType)!;
                identifier.SetValue(item, id);
                list.Add(item);
            }
        }
    }

    private static void SetHeader(TResult result, string name, string value)
    {
        if (HeadersProperty is not null)
        {
            var headers = HeadersProperty.GetValue(result) as IDictionary<string, string>;
            if (headers is null && HeadersProperty.SetMethod is not null && HeadersProperty.PropertyType.IsAssignableFrom(typeof(Dictionary<string, string>)))
            {
                headers = new Dictionary<string, string>();
                HeadersProperty.SetValue(result, headers);
            }

            if (headers is not null)
            {
                headers[name] = value;
            }
        }

        // API Gateway v1 and ALB (multi-value mode) also read multiValueHeaders; set it there too when in use.
        if (MultiValueHeadersProperty?.GetValue(result) is IDictionary<string, IList<string>> multi)
        {
            multi[name] = [value];
        }
    }

    private static void Set(PropertyInfo? property, TResult target, object value)
    {
        if (property?.SetMethod is not null)
        {
            property.SetValue(target, value);
        }
    }

    private static PropertyInfo? Find(string name, Type? type)
    {
        // Matched by hand: BindingFlags.IgnoreCase makes the trimmer keep non-public properties too (IL2090 on publish).
        var property = typeof(TResult).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return property is not null && (type is null || property.PropertyType == type) && property.GetMethod is not null ? property : null;
    }
}

/// <summary>The member kinds the wrapper reads from handler types, for the trimmer.</summary>
internal static class Shapes
{
    public const System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes Result =
        System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties
        | System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicParameterlessConstructor;

    public const System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes Members =
        System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicProperties;
}
