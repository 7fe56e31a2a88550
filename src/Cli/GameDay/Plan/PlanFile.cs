using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Cli.GameDay.Plan;

/// <summary>
/// Reads a game-day plan file (<c>chaos gameday --plan plan.json</c>): every problem is collected and reported with
/// its field, <c>plan.json: load.ratePerSecond must be between 1 and 500 (was 0)</c>. Experiment paths and the alarm
/// file are relative to the plan file. The experiments themselves are checked by the experiment parser when the
/// game day reads them; the <c>target</c> section is handed on as it is, for its own parser.
/// </summary>
internal static class PlanFile
{
    /// <summary>The fields a plan may have.</summary>
    public static readonly IReadOnlyList<string> Fields = ["name", "description", "experiments", "load", "alarms", "service", "steadyStateTimeoutSeconds", "target"];

    private static readonly string[] LoadFields = ["ratePerSecond", "requests"];
    private static readonly string[] RequestFields = ["method", "path"];
    private static readonly string[] ServiceFields = ["tasks", "replacementDelaySeconds", "healthCheckIntervalMs", "unhealthyThreshold"];
    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    /// <summary>Reads and checks the plan file at <paramref name="path"/>.</summary>
    /// <exception cref="CliException">The file is missing, not JSON, or has problems (all of them listed, one per line).</exception>
    public static GameDayPlan Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"plan file {path} does not exist");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses a plan's text; <paramref name="source"/> is its file (relative paths start from its folder).</summary>
    /// <exception cref="CliException">Every problem, one per line.</exception>
    public static GameDayPlan Parse(string json, string source)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new CliException($"{source}: a plan must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{source} is not valid JSON: {ex.Message}");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(source)) ?? ".";
        var errors = new List<string>();
        Unknown(root, "", Fields, errors);
        var name = Text(root, "name", "", errors, required: true);
        if (name is not null && !Orchestrator.Experiments.ExperimentParser.IsSafeName(name))
        {
            errors.Add($"name may contain only letters, digits, '-', '_' and '.', at most 64 characters (was \"{name}\")");
        }

        var description = Text(root, "description", "", errors, required: false);
        var experiments = Experiments(root, source, folder, errors);
        var load = root["load"] is null ? null : Load(root["load"], errors);
        string? alarms = null;
        if (Text(root, "alarms", "", errors, required: false) is { } alarmFile)
        {
            alarms = Path.GetFullPath(Path.Combine(folder, alarmFile));
            if (!File.Exists(alarms))
            {
                errors.Add($"alarms: file {alarmFile} does not exist (looked for {alarms})");
            }
        }

        var service = root["service"] is null ? null : Service(root["service"], errors);
        var steady = Number(root, "steadyStateTimeoutSeconds", "", errors, 1, 300) ?? GameDayPlan.DefaultSteadyStateTimeout.TotalSeconds;
        JsonObject? target = null;
        if (root.TryGetPropertyValue("target", out var targetNode) && targetNode is not null)
        {
            target = targetNode as JsonObject;
            if (target is null)
            {
                errors.Add("target must be an object");
            }
        }

        if (errors.Count > 0)
        {
            throw new CliException($"{source} is not a valid game-day plan:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }

        return new GameDayPlan
        {
            Name = name!,
            Description = description,
            Source = source,
            Experiments = experiments,
            Load = load,
            AlarmsPath = alarms,
            Service = service,
            SteadyStateTimeout = TimeSpan.FromSeconds(steady),
            Target = (JsonObject?)target?.DeepClone(),
        };
    }

    private static List<PlanExperiment> Experiments(JsonObject root, string source, string folder, List<string> errors)
    {
        var list = new List<PlanExperiment>();
        if (!root.TryGetPropertyValue("experiments", out var node) || node is null)
        {
            errors.Add("experiments is required: a list of experiment files (relative to the plan) or experiment objects");
            return list;
        }

        if (node is not JsonArray array || array.Count == 0)
        {
            errors.Add("experiments must be a non-empty list of experiment files (relative to the plan) or experiment objects");
            return list;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"experiments[{i}]");
            switch (array[i])
            {
                case JsonValue v when v.TryGetValue<string>(out var relative) && relative.Length > 0:
                    var file = Path.GetFullPath(Path.Combine(folder, relative));
                    if (File.Exists(file))
                    {
                        list.Add(new PlanExperiment(file, File.ReadAllText(file)));
                    }
                    else
                    {
                        errors.Add($"{at}: experiment file {relative} does not exist (looked for {file})");
                    }

                    break;
                case JsonObject inline:
                    list.Add(new PlanExperiment($"{source} {at}", inline.ToJsonString()));
                    break;
                default:
                    errors.Add($"{at} must be an experiment file (a path relative to the plan) or an experiment object");
                    break;
            }
        }

        return list;
    }

    private static PlanLoad? Load(JsonNode? node, List<string> errors)
    {
        if (node is not JsonObject load)
        {
            errors.Add("load must be an object with ratePerSecond and requests");
            return null;
        }

        Unknown(load, "load.", LoadFields, errors);
        var rate = Number(load, "ratePerSecond", "load.", errors, 1, 500);
        var requests = new List<PlanRequest>();
        if (load["requests"] is { } requestsNode)
        {
            if (requestsNode is not JsonArray array || array.Count == 0)
            {
                errors.Add("load.requests must be a non-empty list of { \"method\", \"path\" }");
            }
            else
            {
                for (var i = 0; i < array.Count; i++)
                {
                    var at = string.Create(CultureInfo.InvariantCulture, $"load.requests[{i}].");
                    if (array[i] is not JsonObject request)
                    {
                        errors.Add($"load.requests[{i.ToString(CultureInfo.InvariantCulture)}] must be an object with method and path");
                        continue;
                    }

                    Unknown(request, at, RequestFields, errors);
                    var method = Text(request, "method", at, errors, required: false) ?? "GET";
                    if (!Methods.Contains(method))
                    {
                        errors.Add($"{at}method must be one of {string.Join(", ", Methods)} (was {method})");
                    }

                    var path = Text(request, "path", at, errors, required: true);
                    if (path is not null && (!path.StartsWith('/') || path.StartsWith("//", StringComparison.Ordinal) || path.Contains("://", StringComparison.Ordinal)))
                    {
                        errors.Add($"{at}path must be a path on the target starting with one '/' (was {path})");
                    }

                    if (path is not null)
                    {
                        requests.Add(new PlanRequest(method, path));
                    }
                }
            }
        }
        else
        {
            requests.Add(new PlanRequest("GET", "/orders/{n}"));
        }

        return rate is { } r ? new PlanLoad(r, requests) : null;
    }

    private static PlanService? Service(JsonNode? node, List<string> errors)
    {
        if (node is not JsonObject service)
        {
            errors.Add("service must be an object (tasks, replacementDelaySeconds, healthCheckIntervalMs, unhealthyThreshold)");
            return null;
        }

        Unknown(service, "service.", ServiceFields, errors);
        var d = PlanService.Default;
        var tasks = Number(service, "tasks", "service.", errors, 2, 10, integer: true) ?? d.Tasks;
        var delay = Number(service, "replacementDelaySeconds", "service.", errors, 0, 120) ?? d.ReplacementDelay.TotalSeconds;
        var interval = Number(service, "healthCheckIntervalMs", "service.", errors, 100, 10000) ?? d.HealthCheckInterval.TotalMilliseconds;
        var threshold = Number(service, "unhealthyThreshold", "service.", errors, 1, 10, integer: true) ?? d.UnhealthyThreshold;
        return new PlanService((int)tasks, TimeSpan.FromSeconds(delay), TimeSpan.FromMilliseconds(interval), (int)threshold);
    }

    /// <summary>Adds an error for every field of <paramref name="o"/> not in <paramref name="known"/> (shared by the sections' own parsers).</summary>
    internal static void Unknown(JsonObject o, string at, IReadOnlyList<string> known, List<string> errors)
    {
        foreach (var key in o.Select(p => p.Key).Where(k => !known.Contains(k)))
        {
            errors.Add($"{at}{key} is not a known field (known: {string.Join(", ", known)})");
        }
    }

    /// <summary>A non-empty string field, or null with an error when it is missing and required, or not a non-empty string.</summary>
    internal static string? Text(JsonObject o, string field, string at, List<string> errors, bool required)
    {
        if (!o.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (required)
            {
                errors.Add($"{at}{field} is required");
            }

            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
        {
            return s;
        }

        errors.Add($"{at}{field} must be a non-empty string");
        return null;
    }

    private static double? Number(JsonObject o, string field, string at, List<string> errors, double min, double max, bool integer = false)
    {
        if (!o.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonValue v || !v.TryGetValue<double>(out var d) || (integer && d != Math.Floor(d)))
        {
            errors.Add($"{at}{field} must be {(integer ? "a whole number" : "a number")}");
            return null;
        }

        if (d < min || d > max || double.IsNaN(d))
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}{field} must be between {min} and {max} (was {d})"));
            return null;
        }

        return d;
    }
}
