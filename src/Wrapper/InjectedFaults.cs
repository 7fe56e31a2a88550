using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper;

/// <summary>
/// The faults injected into one invocation so far, with nothing allocated: a bit per fault of the settings (its index;
/// a document has at most 32) and one for the dependency faults, which fire per outbound call.
/// </summary>
internal record struct InjectedFaults(uint Faults, bool Dependency)
{
    public readonly bool Any => Faults != 0 || Dependency;

    /// <summary>These faults and the fault at <paramref name="index"/>.</summary>
    public readonly InjectedFaults With(int index) => this with { Faults = Faults | (1u << index) };

    /// <summary>Adds <paramref name="fault"/>, found in <paramref name="faults"/> by reference.</summary>
    public void Add(IReadOnlyList<FaultSettings> faults, FaultSettings fault)
    {
        for (var i = 0; i < faults.Count; i++)
        {
            if (ReferenceEquals(faults[i], fault))
            {
                Faults |= 1u << i;
                return;
            }
        }
    }
}
