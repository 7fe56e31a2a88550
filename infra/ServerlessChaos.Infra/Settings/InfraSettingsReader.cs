using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessChaos.Infra.Fis;
using ServerlessChaos.Infra.Schedules;

namespace ServerlessChaos.Infra.Settings;

/// <summary>
/// Reads and validates the <c>serverlessChaos</c> context object. Every problem names its field:
/// <c>context.serverlessChaos.schedules[0].expression is not a valid schedule expression (...)</c>.
/// </summary>
public static partial class InfraSettingsReader
{
    private const string Root = "context." + InfraSettings.ContextKey;

    /// <summary>Reads the settings.</summary>
    /// <param name="settings">The context object, or null when cdk.json has none (all defaults).</param>
    /// <param name="repositoryRoot">The repository root (the CDK CLI runs the app there).</param>
    /// <param name="bootstrap">The <c>serverlessChaos:bootstrap</c> context value: a folder, <c>placeholder</c>, or null for the default.</param>
    /// <exception cref="InfraSettingsException">A setting is invalid.</exception>
    public static InfraSettings Read(JsonNode? settings, string repositoryRoot, string? bootstrap = null)
    {
        var root = settings switch
        {
            null => new JsonObject(),
            JsonObject obj => obj,
            _ => throw new InfraSettingsException($"{Root} must be a JSON object (was {Kind(settings)})"),
        };
        CheckKnown(root, Root, "namePrefix", "parameterPrefix", "ledgerPrefix", "haltParameter", "logRetentionDays", "controlFunctions",
            "experimentTemplates", "schedules", "sampleTarget");

        var defaults = new InfraSettings { RepositoryRoot = repositoryRoot };
        var namePrefix = OptionalString(root, Root, "namePrefix") ?? defaults.NamePrefix;
        Require(NamePrefixPattern().IsMatch(namePrefix), $"{Root}.namePrefix must be 1 to 30 lowercase letters, digits or dashes starting with a letter (was '{namePrefix}')");

        var parameterPrefix = OptionalString(root, Root, "parameterPrefix") ?? defaults.ParameterPrefix;
        Require(ParameterNamePattern().IsMatch(parameterPrefix) && parameterPrefix.EndsWith('/') && parameterPrefix.Length > 1,
            $"{Root}.parameterPrefix must be an SSM path that starts and ends with '/' (was '{parameterPrefix}')");

        var ledgerPrefix = OptionalString(root, Root, "ledgerPrefix") ?? defaults.LedgerPrefix;
        Require(ParameterNamePattern().IsMatch(ledgerPrefix) && ledgerPrefix.EndsWith('/') && ledgerPrefix.Length > 1,
            $"{Root}.ledgerPrefix must be an SSM path that starts and ends with '/' (was '{ledgerPrefix}')");
        Require(!ledgerPrefix.StartsWith(parameterPrefix, StringComparison.Ordinal) && !parameterPrefix.StartsWith(ledgerPrefix, StringComparison.Ordinal),
            $"{Root}.ledgerPrefix and parameterPrefix must not contain each other (were '{ledgerPrefix}' and '{parameterPrefix}')");

        var haltParameter = OptionalString(root, Root, "haltParameter") ?? defaults.HaltParameter;
        Require(ParameterNamePattern().IsMatch(haltParameter) && !haltParameter.EndsWith('/'),
            $"{Root}.haltParameter must be an SSM parameter name that starts with '/' (was '{haltParameter}')");
        Require(!haltParameter.StartsWith(parameterPrefix, StringComparison.Ordinal),
            $"{Root}.haltParameter must not be under parameterPrefix '{parameterPrefix}' (a function could be named like it)");

        var retention = OptionalInt(root, Root, "logRetentionDays") ?? defaults.LogRetentionDays;
        Require(RetentionPeriods.AllowedDays.Contains(retention),
            $"{Root}.logRetentionDays must be one of {string.Join(", ", RetentionPeriods.AllowedDays)} (was {retention})");

        var functions = OptionalObject(root, Root, "controlFunctions") ?? new JsonObject();
        var functionsPath = $"{Root}.controlFunctions";
        CheckKnown(functions, functionsPath, "memoryMb", "timeoutSeconds");
        var memory = OptionalInt(functions, functionsPath, "memoryMb") ?? defaults.ControlFunctionMemoryMb;
        Require(memory is >= 128 and <= 10240, $"{functionsPath}.memoryMb must be between 128 and 10240 (was {memory})");
        var timeout = OptionalInt(functions, functionsPath, "timeoutSeconds") ?? defaults.ControlFunctionTimeoutSeconds;
        Require(timeout is >= 1 and <= 900, $"{functionsPath}.timeoutSeconds must be between 1 and 900 (was {timeout})");

        return defaults with
        {
            NamePrefix = namePrefix,
            ParameterPrefix = parameterPrefix,
            LedgerPrefix = ledgerPrefix,
            HaltParameter = haltParameter,
            LogRetentionDays = retention,
            ControlFunctionMemoryMb = memory,
            ControlFunctionTimeoutSeconds = timeout,
            Bootstrap = ReadBootstrap(bootstrap),
            ExperimentTemplates = ReadTemplates(OptionalArray(root, Root, "experimentTemplates"), $"{Root}.experimentTemplates"),
            Schedules = ReadSchedules(OptionalArray(root, Root, "schedules"), $"{Root}.schedules", repositoryRoot),
            SampleTarget = ReadSampleTarget(OptionalObject(root, Root, "sampleTarget"), $"{Root}.sampleTarget"),
        };
    }

    private static BootstrapSource ReadBootstrap(string? value) => value switch
    {
        null or "" => BootstrapSource.Published(InfraSettings.DefaultBootstrapDirectory),
        "placeholder" => BootstrapSource.Placeholder,
        _ => BootstrapSource.Published(value),
    };

    private static List<ExperimentTemplateSettings> ReadTemplates(JsonArray? items, string path)
    {
        var result = new List<ExperimentTemplateSettings>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            var item = AsObject(items![i], at);
            CheckKnown(item, at, "name", "description", "action", "parameters", "duration", "targetTags", "selectionMode", "stopAlarms");

            var name = RequiredString(item, at, "name");
            Require(TemplateNamePattern().IsMatch(name), $"{at}.name must be 1 to 64 lowercase letters, digits or dashes (was '{name}')");
            Require(result.All(t => t.Name != name), $"{at}.name '{name}' is used by another template");

            var actionId = RequiredString(item, at, "action");
            var action = FisActions.Find(actionId)
                ?? throw new InfraSettingsException($"{at}.action must be one of {string.Join(", ", FisActions.All.Select(a => a.Id))} (was '{actionId}')");

            var parameters = StringMap(OptionalObject(item, at, "parameters"), $"{at}.parameters");
            foreach (var (key, value) in parameters)
            {
                Require(key != "duration", $"{at}.parameters.duration: set the duration with {at}.duration");
                var parameter = action.Parameter(key)
                    ?? throw new InfraSettingsException($"{at}.parameters.{key} is not a parameter of {action.Id} (it takes {Describe(action.Parameters.Select(p => p.Name).ToList())})");
                Require(parameter.Problem(value) is null, $"{at}.parameters.{key} {parameter.Problem(value)} (was '{value}')");
            }

            foreach (var parameter in action.Parameters.Where(p => p.Required))
            {
                Require(parameters.ContainsKey(parameter.Name), $"{at}.parameters.{parameter.Name} is required by {action.Id} ({parameter.FormatText})");
            }

            var duration = OptionalString(item, at, "duration") ?? "";
            if (action.HasDuration)
            {
                Require(DurationProblem(duration) is null, $"{at}.duration {DurationProblem(duration)} (was '{duration}')");
            }
            else
            {
                Require(duration.Length == 0, $"{at}.duration must be left out: {action.Id} has no duration");
            }

            var tags = StringMap(OptionalObject(item, at, "targetTags"), $"{at}.targetTags");
            Require(tags.Count > 0, $"{at}.targetTags must name at least one tag: templates only target tagged resources");

            var selection = RequiredString(item, at, "selectionMode");
            Require(SelectionProblem(selection) is null, $"{at}.selectionMode {SelectionProblem(selection)} (was '{selection}')");

            var alarms = OptionalArray(item, at, "stopAlarms") ?? [];
            var alarmNames = alarms.Select((a, j) => AsString(a, $"{at}.stopAlarms[{j}]")).ToList();
            Require(alarmNames.Count > 0, $"{at}.stopAlarms must name at least one hypothesis alarm: an experiment without a stop condition cannot be stopped by its alarms");

            result.Add(new ExperimentTemplateSettings
            {
                Name = name,
                Description = RequiredString(item, at, "description"),
                Action = action.Id,
                Parameters = parameters,
                Duration = duration,
                TargetTags = tags,
                SelectionMode = selection,
                StopAlarms = alarmNames,
            });
        }

        return result;
    }

    private static List<ScheduleSettings> ReadSchedules(JsonArray? items, string path, string repositoryRoot)
    {
        var result = new List<ScheduleSettings>();
        for (var i = 0; i < (items?.Count ?? 0); i++)
        {
            var at = $"{path}[{i}]";
            var item = AsObject(items![i], at);
            CheckKnown(item, at, "name", "expression", "timeZone", "input", "enabled", "maximumRetryAttempts", "maximumEventAgeSeconds");

            var name = RequiredString(item, at, "name");
            Require(ScheduleNamePattern().IsMatch(name), $"{at}.name must be 1 to 64 letters, digits, '-', '_' or '.' (was '{name}')");
            Require(result.All(s => s.Name != name), $"{at}.name '{name}' is used by another schedule");

            var expression = RequiredString(item, at, "expression");
            var problem = ScheduleExpression.Problem(expression);
            Require(problem is null, $"{at}.expression is not a valid schedule expression: {problem} (was '{expression}')");

            var timeZone = OptionalString(item, at, "timeZone") ?? "UTC";
            Require(IsTimeZone(timeZone), $"{at}.timeZone must be an IANA time zone such as Europe/Berlin or UTC (was '{timeZone}')");

            var input = RequiredString(item, at, "input").Replace('\\', '/');
            Require(input.StartsWith("events/experiments/", StringComparison.Ordinal) && input.EndsWith(".json", StringComparison.Ordinal) && !input.Contains("..", StringComparison.Ordinal),
                $"{at}.input must be a .json file under events/experiments/ (was '{input}')");
            var file = Path.Combine(repositoryRoot, input);
            Require(File.Exists(file), $"{at}.input file '{input}' does not exist");
            try
            {
                Require(JsonNode.Parse(File.ReadAllText(file)) is JsonObject, $"{at}.input file '{input}' must hold a JSON object");
            }
            catch (JsonException e)
            {
                throw new InfraSettingsException($"{at}.input file '{input}' is not valid JSON: {e.Message}");
            }

            var retries = OptionalInt(item, at, "maximumRetryAttempts") ?? 3;
            Require(retries is >= 0 and <= 185, $"{at}.maximumRetryAttempts must be between 0 and 185 (was {retries})");
            var age = OptionalInt(item, at, "maximumEventAgeSeconds") ?? 3600;
            Require(age is >= 60 and <= 86400, $"{at}.maximumEventAgeSeconds must be between 60 and 86400 (was {age})");

            result.Add(new ScheduleSettings
            {
                Name = name,
                Expression = expression,
                TimeZone = timeZone,
                InputFile = input,
                Enabled = OptionalBool(item, at, "enabled") ?? true,
                MaximumRetryAttempts = retries,
                MaximumEventAgeSeconds = age,
            });
        }

        return result;
    }

    private static SampleTargetSettings ReadSampleTarget(JsonObject? item, string at)
    {
        var defaults = new SampleTargetSettings();
        if (item is null)
        {
            return defaults;
        }

        CheckKnown(item, at, "enabled", "desiredCount", "containerImage");
        var count = OptionalInt(item, at, "desiredCount") ?? defaults.DesiredCount;
        Require(count is >= 0 and <= 10, $"{at}.desiredCount must be between 0 and 10 (was {count})");
        var image = OptionalString(item, at, "containerImage") ?? defaults.ContainerImage;
        Require(image.Length > 0 && !image.Any(char.IsWhiteSpace), $"{at}.containerImage must be an image reference such as public.ecr.aws/nginx/nginx:stable (was '{image}')");
        return new SampleTargetSettings
        {
            Enabled = OptionalBool(item, at, "enabled") ?? defaults.Enabled,
            DesiredCount = count,
            ContainerImage = image,
        };
    }

    /// <summary>Null when <paramref name="duration"/> is an ISO 8601 duration FIS accepts (1 minute to 12 hours).</summary>
    internal static string? DurationProblem(string duration)
    {
        var match = DurationPattern().Match(duration);
        if (!match.Success || duration == "PT")
        {
            return "must be an ISO 8601 duration such as PT5M";
        }

        static int Part(Match m, string name) => m.Groups[name].Success ? int.Parse(m.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        var seconds = (Part(match, "h") * 3600L) + (Part(match, "m") * 60L) + Part(match, "s");
        return seconds is < 60 or > 12 * 3600 ? "must be between one minute (PT1M) and 12 hours (PT12H)" : null;
    }

    /// <summary>Null when <paramref name="selection"/> is a bounded FIS selection mode.</summary>
    internal static string? SelectionProblem(string selection)
    {
        var match = SelectionPattern().Match(selection);
        if (!match.Success)
        {
            return "must be COUNT(n) or PERCENT(n): a bounded selection, never ALL";
        }

        var value = int.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
        return match.Groups["mode"].Value == "PERCENT" && value is < 1 or > 100 ? "PERCENT(n) needs n between 1 and 100"
            : value < 1 ? "needs n of at least 1"
            : null;
    }

    private static bool IsTimeZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id).HasIanaId || id == "UTC";
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static void CheckKnown(JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
        {
            Require(known.Contains(key), $"{path}.{key} is not a known setting (known: {string.Join(", ", known)})");
        }
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InfraSettingsException(message);
        }
    }

    private static string Kind(JsonNode? node) => node?.GetValueKind().ToString().ToLowerInvariant() ?? "null";

    private static string Describe(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);

    private static JsonObject AsObject(JsonNode? node, string path) =>
        node as JsonObject ?? throw new InfraSettingsException($"{path} must be a JSON object (was {Kind(node)})");

    private static string AsString(JsonNode? node, string path) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new InfraSettingsException($"{path} must be a non-empty string (was {Kind(node)})");

    private static string RequiredString(JsonObject obj, string path, string key) =>
        obj[key] is null ? throw new InfraSettingsException($"{path}.{key} is required") : AsString(obj[key], $"{path}.{key}");

    private static string? OptionalString(JsonObject obj, string path, string key) =>
        obj[key] is null ? null : AsString(obj[key], $"{path}.{key}");

    private static int? OptionalInt(JsonObject obj, string path, string key)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        // Context given with -c arrives as text; accept "30" as well as 30.
        var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        throw new InfraSettingsException($"{path}.{key} must be a whole number (was {node.ToJsonString()})");
    }

    private static bool? OptionalBool(JsonObject obj, string path, string key)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && (value.TryGetValue<bool>(out var flag)
            || (value.TryGetValue<string>(out var text) && bool.TryParse(text, out flag))))
        {
            return flag;
        }

        throw new InfraSettingsException($"{path}.{key} must be true or false (was {node.ToJsonString()})");
    }

    private static JsonObject? OptionalObject(JsonObject obj, string path, string key) =>
        obj[key] is null ? null : AsObject(obj[key], $"{path}.{key}");

    private static JsonArray? OptionalArray(JsonObject obj, string path, string key) =>
        obj[key] switch
        {
            null => null,
            JsonArray array => array,
            var other => throw new InfraSettingsException($"{path}.{key} must be a JSON array (was {Kind(other)})"),
        };

    private static Dictionary<string, string> StringMap(JsonObject? obj, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, node) in obj ?? [])
        {
            // FIS takes every parameter and tag as a string; numbers and booleans are written the way JSON writes them.
            map[key] = node is JsonValue value && value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? value.ToJsonString()
                : AsString(node, $"{path}.{key}");
        }

        return map;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,29}$")]
    private static partial Regex NamePrefixPattern();

    [GeneratedRegex("^/[A-Za-z0-9_.\\-/]*$")]
    private static partial Regex ParameterNamePattern();

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex TemplateNamePattern();

    [GeneratedRegex("^[0-9A-Za-z_.\\-]{1,64}$")]
    private static partial Regex ScheduleNamePattern();

    [GeneratedRegex("^PT(?:(?<h>\\d+)H)?(?:(?<m>\\d+)M)?(?:(?<s>\\d+)S)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex("^(?<mode>COUNT|PERCENT)\\((?<n>\\d{1,6})\\)$")]
    private static partial Regex SelectionPattern();
}
