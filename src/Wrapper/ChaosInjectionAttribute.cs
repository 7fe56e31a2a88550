using AspectInjector.Broker;
using ServerlessChaos.Wrapper.Weaving;

namespace ServerlessChaos.Wrapper;

/// <summary>
/// Decorates a Lambda handler method with the chaos wrapper, as <c>[Logging]</c> or <c>[Tracing]</c> do in Powertools:
/// the method's body is woven at compile time (AspectInjector) so every call goes through <see cref="ChaosWrapper.Shared"/>.
/// Works on every handler shape the wrapper supports: a typed event and result, <c>Stream</c> in and out, no result
/// (<c>void</c>, <c>Task</c>) or <c>Task&lt;T&gt;</c>, with or without an <c>ILambdaContext</c>, Lambda Annotations
/// <c>[LambdaFunction]</c> methods included.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
[Injection(typeof(ChaosInjectionAspect))]
public sealed class ChaosInjectionAttribute : Attribute;
