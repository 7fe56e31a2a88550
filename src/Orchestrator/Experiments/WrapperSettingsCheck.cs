using System.Text.Json.Nodes;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>
/// What an experiment may say about the wrapper settings it applies. The arm step owns <c>enabled</c>,
/// <c>expiresAt</c> and <c>experimentId</c>; everything else is checked by the wrapper's own parser
/// (<see cref="ChaosSettings.Parse"/>), so the orchestrator accepts exactly what the wrapper will read.
/// </summary>
internal static class WrapperSettingsCheck
{
    public static IEnumerable<string> Problems(JsonObject settings)
    {
        var owned = false;
        if (settings["enabled"] is { } enabled && enabled.ToJsonString() != "true")
        {
            owned = true;
            yield return $".enabled must be true or left out: the arm step enables the settings (was {enabled.ToJsonString()})";
        }

        if (settings.ContainsKey("expiresAt"))
        {
            owned = true;
            yield return ".expiresAt must be left out: the arm step sets it to the end of the experiment plus a margin";
        }

        if (settings.ContainsKey("experimentId"))
        {
            owned = true;
            yield return ".experimentId must be left out: the arm step sets it";
        }

        if (owned)
        {
            yield break;
        }

        // Check the document as the arm step will write it.
        var armed = (JsonObject)settings.DeepClone();
        armed["version"] ??= ChaosSettings.CurrentVersion;
        armed["enabled"] = true;
        armed["expiresAt"] = "2100-01-01T00:00:00Z";
        armed["experimentId"] = "validation";
        var result = ChaosSettings.Parse(armed.ToJsonString());
        foreach (var error in result.Errors)
        {
            // The wrapper names fields from "settings"; the experiment nests them under the fault.
            var field = error.Field.StartsWith("settings", StringComparison.Ordinal) ? error.Field["settings".Length..] : "." + error.Field;
            yield return $"{field} {error.Problem}";
        }

        if (result.Settings is { Layout: not SettingsLayout.ServerlessChaos })
        {
            yield return " must use this project's layout (version, faults), not the failure-lambda or chaos_lambda layout";
        }
    }
}
