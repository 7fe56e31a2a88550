using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra.ControlPlane;

/// <summary>The repository's ASL file and its <c>${Name}</c> substitution placeholders.</summary>
public static partial class StateMachineDefinition
{
    /// <summary>Where the definition lives, relative to the repository root.</summary>
    public const string RelativePath = "infra/statemachine/experiment.asl.json";

    /// <summary>Reads the definition and checks that it is a JSON object with States.</summary>
    /// <exception cref="InfraSettingsException">The file is missing or not a state machine.</exception>
    public static string Load(string repositoryRoot)
    {
        var path = Path.Combine(repositoryRoot, RelativePath);
        if (!File.Exists(path))
        {
            throw new InfraSettingsException($"{RelativePath} does not exist: the state machine definition is deployed from that file");
        }

        var text = File.ReadAllText(path);
        try
        {
            if (JsonNode.Parse(text) is not JsonObject { } root || root["States"] is not JsonObject)
            {
                throw new InfraSettingsException($"{RelativePath} must be an ASL object with StartAt and States");
            }
        }
        catch (JsonException e)
        {
            throw new InfraSettingsException($"{RelativePath} is not valid JSON: {e.Message}");
        }

        return text;
    }

    /// <summary>Every distinct placeholder name (<c>${Name}</c> gives <c>Name</c>) in order of appearance.</summary>
    public static IReadOnlyList<string> Placeholders(string definition) =>
        PlaceholderPattern().Matches(definition).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Throws when a placeholder of <paramref name="definition"/> has no substitution.</summary>
    /// <exception cref="InfraSettingsException">Names each placeholder left unsubstituted.</exception>
    public static void CheckSubstituted(string definition, IReadOnlyDictionary<string, string> substitutions)
    {
        var missing = Placeholders(definition).Where(p => !substitutions.ContainsKey(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InfraSettingsException(
                $"{RelativePath} uses {string.Join(", ", missing.Select(m => "${" + m + "}"))}, which the CDK app does not substitute " +
                $"(it substitutes {string.Join(", ", substitutions.Keys.Order(StringComparer.Ordinal).Select(k => "${" + k + "}"))}, " +
                "and creates a control function for any ${<Step>FunctionArn})");
        }
    }

    /// <summary>
    /// The largest <c>TimeoutSeconds</c> of the Task states whose Resource is <c>${Placeholder}</c>, by placeholder
    /// (Parallel branches and Map iterators included): a function must not time out before its Task does.
    /// </summary>
    public static IReadOnlyDictionary<string, int> TaskTimeouts(string definition)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        void Walk(JsonObject? states)
        {
            foreach (var (_, node) in states ?? [])
            {
                if (node is not JsonObject state)
                {
                    continue;
                }

                if (state["Resource"] is JsonValue resource && resource.TryGetValue<string>(out var text)
                    && PlaceholderPattern().Match(text) is { Success: true } match
                    && state["TimeoutSeconds"] is JsonValue timeout && timeout.TryGetValue<int>(out var seconds))
                {
                    var name = match.Groups["name"].Value;
                    result[name] = Math.Max(seconds, result.GetValueOrDefault(name));
                }

                foreach (var branch in state["Branches"] as JsonArray ?? [])
                {
                    Walk(branch?["States"] as JsonObject);
                }

                Walk((state["ItemProcessor"] ?? state["Iterator"])?["States"] as JsonObject);
            }
        }

        Walk(JsonNode.Parse(definition)?["States"] as JsonObject);
        return result;
    }

    /// <summary>True when the definition calls an AWS service integration of <paramref name="service"/> (e.g. <c>sqs:sendMessage</c>).</summary>
    public static bool Integrates(string definition, string service) =>
        definition.Contains($"arn:aws:states:::{service}", StringComparison.Ordinal);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9_]+)\}")]
    private static partial Regex PlaceholderPattern();
}
