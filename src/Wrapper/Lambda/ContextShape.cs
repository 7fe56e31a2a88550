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
    // Getter delegates, made once per context type: a reflection GetValue per invocation costs tens of ns and boxes.
    private static readonly Func<TContext, TimeSpan>? RemainingTimeGetter = Getter<TimeSpan>("RemainingTime");
    private static readonly Func<TContext, string>? RequestIdGetter = Getter<string>("AwsRequestId");
    private static readonly Func<TContext, string>? FunctionNameGetter = Getter<string>("FunctionName");

    public static TimeSpan? RemainingTime(TContext context)
    {
        if (RemainingTimeGetter is null || context is null)
        {
            return null;
        }

        try
        {
            return RemainingTimeGetter(context);
        }
        catch (Exception)
        {
            return null;
        }
    }

    public static string? RequestId(TContext context) => RequestIdGetter is null || context is null ? null : Read(RequestIdGetter, context);

    public static string? FunctionName(TContext context) => FunctionNameGetter is null || context is null ? null : Read(FunctionNameGetter, context);

    private static Func<TContext, T>? Getter<T>(string name)
    {
        var property = typeof(TContext).GetProperty(name, BindingFlags.Public | BindingFlags.Instance);
        if (property is null || property.PropertyType != typeof(T) || property.GetMethod is not { } getter)
        {
            return null;
        }

        if (!typeof(TContext).IsValueType)
        {
            // An open-instance delegate over the getter (a virtual call for an interface such as ILambdaContext); no code generation.
            return getter.CreateDelegate<Func<TContext, T>>();
        }

        return context => (T)property.GetValue(context)!;
    }

    private static string? Read(Func<TContext, string> getter, TContext context)
    {
        try
        {
            return getter(context);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
