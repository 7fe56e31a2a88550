using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ServerlessChaos.Wrapper.Lambda;

namespace ServerlessChaos.Wrapper.Weaving;

/// <summary>
/// Turns a woven call (boxed arguments, the declared return type) into the wrapper's typed calls: the event is
/// argument 0, the context argument 1; the result shape is chosen from the return type once per handler shape.
/// </summary>
internal static class HandlerInvocation
{
    private const string GenericJustification =
        "The plan is instantiated over the handler's own context and result types, which its code and serializer keep. " +
        "Reference types share compiled code under Native AOT; a shape that cannot be instantiated runs without chaos and logs once.";

    private static readonly ConcurrentDictionary<(Type Return, Type Context, bool StreamEvent), Plan> Plans = new();

    private delegate object? Plan(ChaosWrapper wrapper, Func<object[], object> target, object[] arguments);

    public static object? Run(ChaosWrapper wrapper, Func<object[], object> target, object[] arguments, Type returnType, string name)
    {
        // Not opted in, or not a Lambda handler shape (more than event and context): the handler as written.
        if (!wrapper.IsOptedIn || arguments.Length > 2)
        {
            return target(arguments);
        }

        var contextType = arguments.Length == 2 && arguments[1] is { } context ? context.GetType() : typeof(NoContext);
        var key = (returnType, contextType, arguments.Length > 0 && arguments[0] is Stream);
        var plan = Plans.GetOrAdd(key, static (k, state) => CreatePlan(k.Return, k.Context, k.StreamEvent, state.wrapper, state.name), (wrapper, name));
        return plan(wrapper, target, arguments);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2060", Justification = GenericJustification)]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = GenericJustification)]
    private static Plan CreatePlan(Type returnType, Type contextType, bool streamEvent, ChaosWrapper wrapper, string name)
    {
        try
        {
            var method = returnType switch
            {
                _ when returnType == typeof(void) => Method(nameof(RunVoid)).MakeGenericMethod(contextType),
                _ when returnType == typeof(Task) => Method(nameof(RunTask)).MakeGenericMethod(contextType),
                _ when returnType == typeof(Task<Stream>) && streamEvent => Method(nameof(RunStream)).MakeGenericMethod(contextType),
                { IsGenericType: true } when returnType.GetGenericTypeDefinition() == typeof(Task<>) =>
                    Method(nameof(RunTaskOf)).MakeGenericMethod(contextType, returnType.GetGenericArguments()[0]),
                _ when typeof(Task).IsAssignableFrom(returnType) || returnType.Name.StartsWith("ValueTask", StringComparison.Ordinal) => null,
                _ => Method(nameof(RunSync)).MakeGenericMethod(contextType, returnType),
            };
            if (method is not null)
            {
                return method.CreateDelegate<Plan>();
            }
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
        {
            wrapper.Telemetry.Problem($"[ChaosInjection] cannot decorate {name} (returns {returnType.Name}); it runs without chaos", "attribute", null, ex);
            return static (_, target, arguments) => target(arguments);
        }

        wrapper.Telemetry.Problem($"[ChaosInjection] cannot decorate {name}: {returnType.Name} is not a Lambda handler result (use void, Task, Task<T> or T); it runs without chaos", "attribute", null, null);
        return static (_, target, arguments) => target(arguments);
    }

    private static MethodInfo Method(string name) => typeof(HandlerInvocation).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static)!;

    private static object? RunTaskOf<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TContext,
        TResult>(ChaosWrapper wrapper, Func<object[], object> target, object[] arguments) =>
        wrapper.InvokeAsync<object?, TContext, TResult>(Event(arguments), Context<TContext>(arguments), (input, _) =>
        {
            WithEvent(arguments, input);
            return (Task<TResult>)target(arguments)!;
        });

    private static object? RunTask<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TContext>(
        ChaosWrapper wrapper, Func<object[], object> target, object[] arguments) =>
        wrapper.InvokeAsync<object?, TContext>(Event(arguments), Context<TContext>(arguments), (input, _) =>
        {
            WithEvent(arguments, input);
            return (Task)target(arguments)!;
        });

    private static object? RunStream<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TContext>(
        ChaosWrapper wrapper, Func<object[], object> target, object[] arguments) =>
        wrapper.InvokeStreamAsync((Stream)arguments[0]!, Context<TContext>(arguments), (input, _) =>
        {
            WithEvent(arguments, input);
            return (Task<Stream>)target(arguments)!;
        });

    // Synchronous handlers block on the wrapper as the Lambda runtime blocks on them (no synchronization context there).
    private static object? RunVoid<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TContext>(
        ChaosWrapper wrapper, Func<object[], object> target, object[] arguments)
    {
        wrapper.InvokeAsync<object?, TContext>(Event(arguments), Context<TContext>(arguments), (input, _) =>
        {
            WithEvent(arguments, input);
            target(arguments);
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();
        return null;
    }

    private static object? RunSync<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] TContext,
        TResult>(ChaosWrapper wrapper, Func<object[], object> target, object[] arguments) =>
        wrapper.InvokeAsync<object?, TContext, TResult>(Event(arguments), Context<TContext>(arguments), (input, _) =>
        {
            WithEvent(arguments, input);
            return Task.FromResult((TResult)target(arguments)!);
        }).GetAwaiter().GetResult();

    private static object? Event(object[] arguments) => arguments.Length > 0 ? arguments[0] : null;

    private static TContext Context<TContext>(object[] arguments) => arguments.Length == 2 && arguments[1] is TContext context ? context : default!;

    // A fault that rewrites the event hands the rewritten one to the handler.
    private static void WithEvent(object[] arguments, object? input)
    {
        if (arguments.Length > 0)
        {
            arguments[0] = input!;
        }
    }

    /// <summary>The context type of a handler that takes none: no deadline, request id or function name to read.</summary>
    private sealed class NoContext;
}
