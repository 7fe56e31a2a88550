using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>Whether a wrapper settings value is armed, by the wrapper's own parser (one rule everywhere).</summary>
internal static class ArmState
{
    /// <summary>Armed = the value parses, <c>enabled</c> is true and <c>expiresAt</c> is in the future.</summary>
    public static bool IsArmed(string? settingsValue, DateTimeOffset now, out string? experimentId)
    {
        experimentId = null;
        if (settingsValue is null)
        {
            return false;
        }

        var settings = ChaosSettings.Parse(settingsValue).Settings;
        experimentId = settings?.ExperimentId;
        return settings?.IsArmedAt(now) == true;
    }
}
