using System.ComponentModel;
using AspectInjector.Broker;

namespace ServerlessChaos.Wrapper.Weaving;

/// <summary>The code <see cref="ChaosInjectionAttribute"/> weaves around a handler; not called directly.</summary>
[Aspect(Scope.Global)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChaosInjectionAspect
{
    /// <summary>Runs the woven handler through <see cref="ChaosWrapper.Shared"/>.</summary>
    /// <param name="target">The handler's original body.</param>
    /// <param name="arguments">The handler's arguments: the event, and the context when it takes one.</param>
    /// <param name="returnType">The handler's declared return type.</param>
    /// <param name="name">The handler's name, for the log line of a handler shape the wrapper cannot decorate.</param>
    [Advice(Kind.Around, Targets = Target.Method)]
    public object Around(
        [Argument(Source.Target)] Func<object[], object> target,
        [Argument(Source.Arguments)] object[] arguments,
        [Argument(Source.ReturnType)] Type returnType,
        [Argument(Source.Name)] string name) =>
        HandlerInvocation.Run(ChaosWrapper.Shared, target, arguments, returnType, name)!;
}
