using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>
/// Reads and validates an experiment input (format version 1). All problems are collected, each
/// naming its field: <c>faults[0].wrapper.parameter is required</c>.
/// </summary>
public static class ExperimentParser
{
    private static readonly string[] TopLevelFields =
        ["version", "name", "description", "tags", "hypothesis", "faults", "durationSeconds", "pollIntervalSeconds", "abortBudgetSeconds", "dryRun", "allowAdvancedTier"];

    private static readonly string[] Variants = ["valid", "malformedBody", "missingAuthorization", "invalidAuthorization"];

    /// <summary>Parses JSON text.</summary>
    /// <exception cref="ExperimentValidationException">The text is not valid JSON or not a valid experiment.</exception>
    public static Experiment Parse(string json, ExperimentRules? rules = null)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ExperimentValidationException([$"experiment is not valid JSON: {e.Message}"]);
        }

        return Parse(node, rules);
    }

    /// <summary>Parses an experiment read from <paramref name="source"/> (a file); the error names the file and lists every problem.</summary>
    /// <exception cref="ExperimentValidationException">The input is invalid.</exception>
    public static Experiment ParseFile(string json, string source, ExperimentRules? rules = null)
    {
        try
        {
            return Parse(json, rules);
        }
        catch (ExperimentValidationException e)
        {
            throw new ExperimentValidationException(e.Errors, source);
        }
    }

    /// <summary>Validates an already parsed JSON value.</summary>
    /// <exception cref="ExperimentValidationException">The value is not a valid experiment.</exception>
    public static Experiment Parse(JsonNode? node, ExperimentRules? rules = null)
    {
        rules ??= new ExperimentRules();
        var errors = new List<string>();
        if (node is not JsonObject root)
        {
            throw new ExperimentValidationException(["experiment must be a JSON object"]);
        }

        var r = new Reader(errors);
        var experiment = new Experiment();
        r.UnknownFields(root, "", TopLevelFields);

        var version = r.Int(root, "version", "", required: false, min: 1, max: 1);
        experiment.Version = version ?? 1;
        experiment.Name = r.String(root, "name", "", required: true) ?? "";
        if (experiment.Name.Length > 0 && !IsSafeName(experiment.Name))
        {
            errors.Add($"name may contain only letters, digits, '-', '_' and '.', at most 64 characters (was \"{experiment.Name}\")");
        }

        experiment.Description = r.String(root, "description", "", required: false);
        experiment.Tags = r.StringMap(root, "tags", "");
        experiment.DurationSeconds = r.Int(root, "durationSeconds", "", required: true, min: 1, max: ExperimentDefaults.MaxDurationSeconds) ?? 0;
        experiment.PollIntervalSeconds = r.Int(root, "pollIntervalSeconds", "", required: false, min: 1, max: ExperimentDefaults.MaxPollIntervalSeconds)
            ?? ExperimentDefaults.PollIntervalSeconds;
        experiment.AbortBudgetSeconds = r.Int(root, "abortBudgetSeconds", "", required: false, min: 1, max: ExperimentDefaults.MaxDurationSeconds)
            ?? ExperimentDefaults.AbortBudgetSeconds;
        experiment.DryRun = r.Bool(root, "dryRun", "") ?? false;
        experiment.AllowAdvancedTier = r.Bool(root, "allowAdvancedTier", "") ?? false;
        if (experiment.DurationSeconds > 0 && experiment.PollIntervalSeconds > experiment.DurationSeconds)
        {
            errors.Add($"pollIntervalSeconds must not be longer than durationSeconds ({experiment.PollIntervalSeconds} > {experiment.DurationSeconds})");
        }

        if (r.Object(root, "hypothesis", "", required: true) is { } hypothesis)
        {
            r.UnknownFields(hypothesis, "hypothesis.", ["alarms", "recoveryWindowSeconds"]);
            experiment.Hypothesis.Alarms = r.StringList(hypothesis, "alarms", "hypothesis.", required: true, minCount: 1);
            experiment.Hypothesis.RecoveryWindowSeconds = r.Int(hypothesis, "recoveryWindowSeconds", "hypothesis.", required: false, min: 0, max: 3600)
                ?? ExperimentDefaults.RecoveryWindowSeconds;
        }

        if (r.Array(root, "faults", "", required: true) is { } faults)
        {
            if (faults.Count == 0)
            {
                errors.Add("faults must contain at least one fault");
            }

            for (var i = 0; i < faults.Count; i++)
            {
                var fault = ReadFault(r, faults[i], $"faults[{i}]", experiment, rules);
                if (fault is not null)
                {
                    experiment.Faults.Add(fault);
                }
            }

            var duplicates = experiment.Faults.Where(f => f.Wrapper is not null).GroupBy(f => f.Wrapper!.Parameter).Where(g => g.Count() > 1);
            foreach (var duplicate in duplicates)
            {
                errors.Add($"faults names the wrapper parameter {duplicate.Key} more than once; put all its faults in one settings document");
            }
        }

        if (errors.Count > 0)
        {
            throw new ExperimentValidationException(errors);
        }

        return experiment;
    }

    private static FaultSpec? ReadFault(Reader r, JsonNode? node, string path, Experiment experiment, ExperimentRules rules)
    {
        if (node is not JsonObject fault)
        {
            r.Errors.Add($"{path} must be an object with one of wrapper, fis or httpLoad");
            return null;
        }

        var kinds = fault.Select(p => p.Key).ToList();
        var known = kinds.Where(k => k is "wrapper" or "fis" or "httpLoad").ToList();
        foreach (var unknown in kinds.Except(known))
        {
            r.Errors.Add($"{path}.{unknown} is not a fault kind (expected wrapper, fis or httpLoad)");
        }

        if (known.Count != 1)
        {
            if (known.Count > 1)
            {
                r.Errors.Add($"{path} must have exactly one of wrapper, fis or httpLoad (has {string.Join(", ", known)})");
            }
            else if (kinds.Count == 0)
            {
                r.Errors.Add($"{path} must have one of wrapper, fis or httpLoad");
            }

            return null;
        }

        var kind = known[0];
        var prefix = $"{path}.{kind}.";
        if (fault[kind] is not JsonObject body)
        {
            r.Errors.Add($"{path}.{kind} must be an object");
            return null;
        }

        switch (kind)
        {
            case "wrapper":
            {
                r.UnknownFields(body, prefix, ["parameter", "settings"]);
                var parameter = r.String(body, "parameter", prefix, required: true) ?? "";
                if (parameter.Length > 0 && !parameter.StartsWith(rules.ParameterPrefix, StringComparison.Ordinal))
                {
                    r.Errors.Add($"{prefix}parameter must start with {rules.ParameterPrefix} (was \"{parameter}\")");
                }
                else if (parameter.Length > 0 && Backends.ParameterRules.NameProblem(parameter) is { } nameProblem)
                {
                    r.Errors.Add($"{prefix}parameter is not a name AWS accepts: {nameProblem}");
                }

                var settings = r.Object(body, "settings", prefix, required: true);
                if (settings is not null)
                {
                    foreach (var problem in rules.ValidateWrapperSettings(settings))
                    {
                        r.Errors.Add($"{prefix}settings{(problem.StartsWith('.') ? "" : " ")}{problem}");
                    }
                }

                return new FaultSpec { Wrapper = new WrapperFault { Parameter = parameter, Settings = (JsonObject?)settings?.DeepClone() ?? new JsonObject() } };
            }

            case "fis":
            {
                r.UnknownFields(body, prefix, ["templateId", "templateTag", "actionsMode"]);
                var fis = new FisFault { TemplateId = r.String(body, "templateId", prefix, required: false) };
                if (r.Object(body, "templateTag", prefix, required: false) is { } tag)
                {
                    fis.TemplateTag = new TagFilter
                    {
                        Key = r.String(tag, "key", prefix + "templateTag.", required: true) ?? "",
                        Value = r.String(tag, "value", prefix + "templateTag.", required: true) ?? "",
                    };
                }

                if ((fis.TemplateId is null) == (fis.TemplateTag is null))
                {
                    r.Errors.Add($"{prefix}templateId or {prefix}templateTag is required (exactly one)");
                }

                var mode = r.String(body, "actionsMode", prefix, required: false) ?? "run-all";
                if (mode is not ("run-all" or "skip-all"))
                {
                    r.Errors.Add($"{prefix}actionsMode must be run-all or skip-all (was \"{mode}\")");
                }

                fis.ActionsMode = experiment.DryRun ? "skip-all" : mode;
                return new FaultSpec { Fis = fis };
            }

            default:
            {
                r.UnknownFields(body, prefix, ["url", "method", "ratePerSecond", "durationSeconds", "concurrency", "variant", "body", "headers", "expect"]);
                var probe = new HttpLoadFault { Url = r.String(body, "url", prefix, required: true) ?? "" };
                if (probe.Url.Length > 0 && (!Uri.TryCreate(probe.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
                {
                    r.Errors.Add($"{prefix}url must be an absolute http or https URL (was \"{probe.Url}\")");
                }

                probe.Method = (r.String(body, "method", prefix, required: false) ?? "GET").ToUpperInvariant();
                probe.RatePerSecond = r.Number(body, "ratePerSecond", prefix, min: 0.1, max: 1000) ?? 5;
                probe.DurationSeconds = r.Int(body, "durationSeconds", prefix, required: false, min: 1, max: ExperimentDefaults.MaxDurationSeconds)
                    ?? experiment.DurationSeconds;
                if (experiment.DurationSeconds > 0 && probe.DurationSeconds > experiment.DurationSeconds)
                {
                    r.Errors.Add($"{prefix}durationSeconds must not be longer than the experiment's durationSeconds ({probe.DurationSeconds} > {experiment.DurationSeconds})");
                }

                probe.Concurrency = r.Int(body, "concurrency", prefix, required: false, min: 1, max: 64) ?? 4;
                probe.Variant = r.String(body, "variant", prefix, required: false) ?? "valid";
                if (!Variants.Contains(probe.Variant))
                {
                    r.Errors.Add($"{prefix}variant must be one of {string.Join(", ", Variants)} (was \"{probe.Variant}\")");
                }

                probe.Body = r.String(body, "body", prefix, required: false);
                probe.Headers = r.StringMap(body, "headers", prefix);
                if (r.Object(body, "expect", prefix, required: false) is { } expect)
                {
                    r.UnknownFields(expect, prefix + "expect.", ["no5xx", "statusCodes"]);
                    probe.Expect.No5xx = r.Bool(expect, "no5xx", prefix + "expect.") ?? true;
                    if (expect.ContainsKey("statusCodes"))
                    {
                        probe.Expect.StatusCodes = r.IntList(expect, "statusCodes", prefix + "expect.", 100, 599);
                    }
                }

                return new FaultSpec { HttpLoad = probe };
            }
        }
    }

    /// <summary>Whether a name is safe in parameter names, tags and file names: letters, digits, '-', '_' and '.', at most 64 characters.</summary>
    public static bool IsSafeName(string name) =>
        name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>Typed field access that records a problem per field instead of throwing.</summary>
    private sealed class Reader(List<string> errors)
    {
        public List<string> Errors { get; } = errors;

        public void UnknownFields(JsonObject obj, string prefix, string[] known)
        {
            foreach (var (key, _) in obj)
            {
                if (!known.Contains(key))
                {
                    Errors.Add($"{prefix}{key} is not a known field (known: {string.Join(", ", known)})");
                }
            }
        }

        public string? String(JsonObject obj, string name, string prefix, bool required)
        {
            var node = obj[name];
            if (node is null)
            {
                if (required)
                {
                    Errors.Add($"{prefix}{name} is required");
                }

                return null;
            }

            if (node is JsonValue v && v.TryGetValue<string>(out var s))
            {
                if (required && string.IsNullOrWhiteSpace(s))
                {
                    Errors.Add($"{prefix}{name} must not be empty");
                }

                return s;
            }

            Errors.Add($"{prefix}{name} must be a string (was {Describe(node)})");
            return null;
        }

        public int? Int(JsonObject obj, string name, string prefix, bool required, int min, int max)
        {
            var node = obj[name];
            if (node is null)
            {
                if (required)
                {
                    Errors.Add($"{prefix}{name} is required");
                }

                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d)
                && d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue)
            {
                var i = (int)d;
                if (i < min || i > max)
                {
                    Errors.Add($"{prefix}{name} must be between {min} and {max} (was {i})");
                    return null;
                }

                return i;
            }

            Errors.Add($"{prefix}{name} must be a whole number (was {Describe(node)})");
            return null;
        }

        public double? Number(JsonObject obj, string name, string prefix, double min, double max)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var d))
            {
                if (d < min || d > max)
                {
                    Errors.Add($"{prefix}{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} (was {d.ToString(CultureInfo.InvariantCulture)})");
                    return null;
                }

                return d;
            }

            Errors.Add($"{prefix}{name} must be a number (was {Describe(node)})");
            return null;
        }

        public bool? Bool(JsonObject obj, string name, string prefix)
        {
            var node = obj[name];
            if (node is null)
            {
                return null;
            }

            if (node is JsonValue v && v.TryGetValue<bool>(out var b))
            {
                return b;
            }

            Errors.Add($"{prefix}{name} must be true or false (was {Describe(node)})");
            return null;
        }

        public JsonObject? Object(JsonObject obj, string name, string prefix, bool required)
        {
            var node = obj[name];
            if (node is null)
            {
                if (required)
                {
                    Errors.Add($"{prefix}{name} is required");
                }

                return null;
            }

            if (node is JsonObject o)
            {
                return o;
            }

            Errors.Add($"{prefix}{name} must be an object (was {Describe(node)})");
            return null;
        }

        public JsonArray? Array(JsonObject obj, string name, string prefix, bool required)
        {
            var node = obj[name];
            if (node is null)
            {
                if (required)
                {
                    Errors.Add($"{prefix}{name} is required");
                }

                return null;
            }

            if (node is JsonArray a)
            {
                return a;
            }

            Errors.Add($"{prefix}{name} must be an array (was {Describe(node)})");
            return null;
        }

        public List<string> StringList(JsonObject obj, string name, string prefix, bool required, int minCount)
        {
            var list = new List<string>();
            if (Array(obj, name, prefix, required) is not { } array)
            {
                return list;
            }

            if (array.Count < minCount)
            {
                Errors.Add($"{prefix}{name} must contain at least {minCount} item(s)");
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s))
                {
                    list.Add(s);
                }
                else
                {
                    Errors.Add($"{prefix}{name}[{i}] must be a non-empty string (was {Describe(array[i])})");
                }
            }

            return list;
        }

        public List<int> IntList(JsonObject obj, string name, string prefix, int min, int max)
        {
            var list = new List<int>();
            if (Array(obj, name, prefix, required: false) is not { } array)
            {
                return list;
            }

            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= min && n <= max)
                {
                    list.Add(n);
                }
                else
                {
                    Errors.Add($"{prefix}{name}[{i}] must be a whole number between {min} and {max} (was {Describe(array[i])})");
                }
            }

            return list;
        }

        public Dictionary<string, string> StringMap(JsonObject obj, string name, string prefix)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Object(obj, name, prefix, required: false) is not { } o)
            {
                return map;
            }

            foreach (var (key, value) in o)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s))
                {
                    map[key] = s;
                }
                else
                {
                    Errors.Add($"{prefix}{name}.{key} must be a string (was {Describe(value)})");
                }
            }

            return map;
        }

        private static string Describe(JsonNode? node) => node switch
        {
            null => "null",
            JsonObject => "an object",
            JsonArray => "an array",
            _ => node.ToJsonString(),
        };
    }
}
