using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper;

/// <summary>What a wrapper knows right now.</summary>
/// <param name="IsOptedIn">Whether the function named a settings parameter (or the host gave a source).</param>
/// <param name="Settings">The settings in force (the disarmed baseline when none or invalid).</param>
/// <param name="Halted">Whether the global halt parameter is set.</param>
/// <param name="Armed">Whether faults may be injected now.</param>
public sealed record ChaosStatus(bool IsOptedIn, ChaosSettings Settings, bool Halted, bool Armed);
