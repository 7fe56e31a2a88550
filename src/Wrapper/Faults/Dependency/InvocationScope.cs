using ServerlessChaos.Wrapper.Telemetry;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// The dependency faults in force for the invocation running on this async flow; the dependency handler reads it.
/// Set only while a decorated handler runs, so calls made outside an invocation are never touched.
/// </summary>
internal sealed class InvocationScope
{
    private static readonly AsyncLocal<InvocationScope?> CurrentScope = new();

    public InvocationScope(ChaosWrapper wrapper, List<DependencyFaultSettings> faults, InvocationIdentity identity, DateTimeOffset? deadline)
    {
        Wrapper = wrapper;
        Faults = faults;
        Identity = identity;
        Deadline = deadline;
    }

    public static InvocationScope? Current
    {
        get => CurrentScope.Value;
        set => CurrentScope.Value = value;
    }

    public ChaosWrapper Wrapper { get; }

    public List<DependencyFaultSettings> Faults { get; }

    public InvocationIdentity Identity { get; }

    public DateTimeOffset? Deadline { get; }

    /// <summary>Set when a dependency fault hit a call, so the response can name it.</summary>
    public volatile bool Injected;

    /// <summary>Set when a dry-run dependency fault would have hit a call.</summary>
    public volatile bool DryRun;
}
