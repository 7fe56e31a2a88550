using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper;

/// <summary>What a wrapper knows right now (<see cref="ChaosWrapper.GetStatusAsync"/>).</summary>
public sealed class ChaosStatus
{
    internal ChaosStatus(bool isOptedIn, ChaosSettings settings, bool halted, bool armed)
    {
        IsOptedIn = isOptedIn;
        Settings = settings;
        Halted = halted;
        Armed = armed;
        FaultTypes = [.. settings.Faults.Select(f => f.Type)];
    }

    /// <summary>Whether the function named a settings parameter (or the host gave a source).</summary>
    public bool IsOptedIn { get; }

    /// <summary>Whether the global halt parameter is set.</summary>
    public bool Halted { get; }

    /// <summary>Whether faults may be injected now.</summary>
    public bool Armed { get; }

    /// <summary>The settings' <c>experimentId</c>, when they have one.</summary>
    public string? ExperimentId => Settings.ExperimentId;

    /// <summary>The settings' <c>expiresAt</c>, when they have one.</summary>
    public DateTimeOffset? ExpiresAt => Settings.ExpiresAt;

    /// <summary>The type of each configured fault, in document order (empty when disarmed or invalid).</summary>
    public IReadOnlyList<string> FaultTypes { get; }

    /// <summary>The settings in force (the disarmed baseline when none or invalid).</summary>
    internal ChaosSettings Settings { get; }
}
