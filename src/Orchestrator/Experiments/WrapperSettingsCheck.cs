using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>
/// What an experiment may say about the wrapper settings it applies: the arm step owns
/// <c>enabled</c>, <c>expiresAt</c> and <c>experimentId</c>, so the experiment must not turn them off or set them.
/// </summary>
internal static class WrapperSettingsCheck
{
    public static IEnumerable<string> Problems(JsonObject settings)
    {
        if (settings["version"] is { } version && version.ToJsonString() != "1")
        {
            yield return $".version must be 1 (was {version.ToJsonString()})";
        }

        if (settings["enabled"] is { } enabled && enabled.ToJsonString() != "true")
        {
            yield return $".enabled must be true or left out: the arm step enables the settings (was {enabled.ToJsonString()})";
        }

        if (settings.ContainsKey("expiresAt"))
        {
            yield return ".expiresAt must be left out: the arm step sets it to the end of the experiment plus a margin";
        }

        if (settings.ContainsKey("experimentId"))
        {
            yield return ".experimentId must be left out: the arm step sets it";
        }

        if (settings["faults"] is not JsonArray faults || faults.Count == 0)
        {
            yield return ".faults must be a non-empty array";
        }
    }
}
