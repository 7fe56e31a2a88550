using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Reads the members the wrapper needs from a Lambda context by their names in <c>ILambdaContext</c>
/// (<c>RemainingTime</c>, <c>AwsRequestId</c>, <c>FunctionName</c>), so the real context works without referencing
/// Amazon.Lambda.Core. Looked up once per context type.
/// </summary>
internal static class ContextShape<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TContext>
{
    private static readonly PropertyInfo? RemainingTimeProperty = Find("RemainingTime", typeof(TimeSpan));
    private static readonly PropertyInfo? RequestIdProperty = Find("AwsRequestId", typeof(string));
    private static readonly PropertyInfo? FunctionNameProperty = Find("FunctionName", typeof(string));

    public static TimeSpan? RemainingTime(TContext context) => Read(RemainingTimeProperty, context) as TimeSpan?;

    public static string? RequestId(TContext context) => Read(RequestIdProperty, context) as string;

    public static string? FunctionName(TContext context) => Read(FunctionNameProperty, context) as string;

    private static PropertyInfo? Find(string name, Type type)
    {
        var property = typeof(TContext).GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        return property is not null && property.PropertyType == type && property.GetMethod is not null ? property : null;
    }

    private static object? Read(PropertyInfo? property, TContext context)
    {
        if (property is null || context is null)
        {
            return null;
        }

        try
        {
            return property.GetValue(context);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
