using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>Reads the halt switch and whether a wrapper settings value is armed (the contracts in the README).</summary>
public static class ArmState
{
    /// <summary>
    /// Halted when the halt parameter exists and its value, trimmed, is not empty, <c>false</c>, <c>0</c> or
    /// <c>off</c> (case-insensitive).
    /// </summary>
    public static bool IsHalted(string? haltValue)
    {
        if (haltValue is null)
        {
            return false;
        }

        var value = haltValue.Trim();
        if (value.Length == 0 || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value == "0"
            || value.Equals("off", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // `chaos halt` writes {"halted":true,...}; an object saying halted:false is not a halt.
        if (value.StartsWith('{'))
        {
            try
            {
                if (JsonNode.Parse(value) is JsonObject o && o["halted"] is JsonValue h && h.TryGetValue<bool>(out var halted))
                {
                    return halted;
                }
            }
            catch (JsonException)
            {
                // Not JSON: any other non-empty value halts.
            }
        }

        return true;
    }

    /// <summary>Armed = the value parses, <c>enabled</c> is true and <c>expiresAt</c> is in the future.</summary>
    public static bool IsArmed(string? settingsValue, DateTimeOffset now, out string? experimentId)
    {
        experimentId = null;
        if (settingsValue is null)
        {
            return false;
        }

        try
        {
            if (JsonNode.Parse(settingsValue) is not JsonObject settings)
            {
                return false;
            }

            experimentId = settings["experimentId"] is JsonValue id && id.TryGetValue<string>(out var s) ? s : null;
            var enabled = settings["enabled"] is JsonValue e && e.TryGetValue<bool>(out var b) && b;
            var expires = settings["expiresAt"] is JsonValue x && x.TryGetValue<string>(out var text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : (DateTimeOffset?)null;
            return enabled && expires > now;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
