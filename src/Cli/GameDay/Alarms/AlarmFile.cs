using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessChaos.Cli.GameDay.Alarms;

/// <summary>
/// Reads local alarm definitions for <c>chaos gameday --alarms</c>: a JSON array of objects with CloudWatch's
/// knobs, each problem reported with its field: <c>alarms[1].datapointsToAlarm must be between 1 and 3 (was 4)</c>.
/// </summary>
internal static class AlarmFile
{
    private static readonly string[] Fields = ["name", "metric", "threshold", "comparisonOperator", "periodSeconds", "evaluationPeriods", "datapointsToAlarm", "treatMissingData"];

    /// <summary>Parses the file's text.</summary>
    /// <exception cref="CliException">Every problem, one per line.</exception>
    public static IReadOnlyList<AlarmDefinition> Parse(string json, string source)
    {
        JsonArray array;
        try
        {
            array = JsonNode.Parse(json) as JsonArray ?? throw new CliException($"{source}: alarms must be a JSON array of alarm objects");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{source} is not valid JSON: {ex.Message}");
        }

        var errors = new List<string>();
        var alarms = new List<AlarmDefinition>();
        for (var i = 0; i < array.Count; i++)
        {
            var at = string.Create(CultureInfo.InvariantCulture, $"alarms[{i}]");
            if (array[i] is not JsonObject o)
            {
                errors.Add($"{at} must be an object");
                continue;
            }

            foreach (var unknown in o.Select(p => p.Key).Where(k => !Fields.Contains(k)))
            {
                errors.Add($"{at}.{unknown} is not a known field (known: {string.Join(", ", Fields)})");
            }

            var name = Text(o, "name", at, errors, required: true);
            var metric = Text(o, "metric", at, errors, required: true) switch
            {
                null => (AlarmMetric?)null,
                "p99LatencyMs" => AlarmMetric.P99LatencyMs,
                "serverErrorRatePercent" => AlarmMetric.ServerErrorRatePercent,
                var other => Error<AlarmMetric?>(errors, $"{at}.metric must be p99LatencyMs or serverErrorRatePercent (was {other})"),
            };
            var threshold = Number(o, "threshold", at, errors, 0, double.MaxValue, null);
            var comparison = Text(o, "comparisonOperator", at, errors, required: false) switch
            {
                null => ComparisonOperator.GreaterThanThreshold,
                var text when Enum.TryParse<ComparisonOperator>(text, out var op) && !int.TryParse(text, out _) => op,
                var other => Error<ComparisonOperator>(errors, $"{at}.comparisonOperator must be one of {string.Join(", ", Enum.GetNames<ComparisonOperator>())} (was {other})"),
            };
            var period = Number(o, "periodSeconds", at, errors, 1, 3600, null);
            var n = Number(o, "evaluationPeriods", at, errors, 1, 100, 1);
            var m = Number(o, "datapointsToAlarm", at, errors, 1, n ?? 100, n);
            var missing = Text(o, "treatMissingData", at, errors, required: false) switch
            {
                null or "missing" => TreatMissingData.Missing,
                "ignore" => TreatMissingData.Ignore,
                "breaching" => TreatMissingData.Breaching,
                "notBreaching" => TreatMissingData.NotBreaching,
                var other => Error<TreatMissingData>(errors, $"{at}.treatMissingData must be missing, ignore, breaching or notBreaching (was {other})"),
            };
            if (name is not null && metric is { } mt && threshold is { } th && period is { } p && n is { } nn && m is { } mm)
            {
                alarms.Add(new AlarmDefinition(name, mt, th, comparison, TimeSpan.FromSeconds(p), (int)nn, (int)mm, missing));
            }
        }

        foreach (var duplicate in alarms.GroupBy(a => a.Name).Where(g => g.Count() > 1))
        {
            errors.Add($"alarm {duplicate.Key} is defined {duplicate.Count()} times");
        }

        if (array.Count == 0)
        {
            errors.Add("alarms must define at least one alarm");
        }

        return errors.Count > 0
            ? throw new CliException($"{source} has problems:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}")
            : alarms;
    }

    private static T Error<T>(List<string> errors, string message)
    {
        errors.Add(message);
        return default!;
    }

    private static string? Text(JsonObject o, string field, string at, List<string> errors, bool required)
    {
        if (!o.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (required)
            {
                errors.Add($"{at}.{field} is required");
            }

            return null;
        }

        if (node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
        {
            return s;
        }

        errors.Add($"{at}.{field} must be a non-empty string");
        return null;
    }

    private static double? Number(JsonObject o, string field, string at, List<string> errors, double min, double max, double? fallback)
    {
        if (!o.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (fallback is null)
            {
                errors.Add($"{at}.{field} is required");
            }

            return fallback;
        }

        if (node is not JsonValue v || !v.TryGetValue<double>(out var d))
        {
            errors.Add($"{at}.{field} must be a number");
            return null;
        }

        if (d < min || d > max)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.{field} must be between {min} and {max} (was {d})"));
            return null;
        }

        return d;
    }
}
