using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Cli.Operator;

/// <summary>Reads the durations operators type: <c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>2h</c>, <c>1h30m</c>.</summary>
internal static partial class DurationText
{
    /// <summary>Parses a duration, or explains what is wrong with it.</summary>
    /// <param name="text">The text.</param>
    /// <param name="what">The option it came from, for the error (e.g. <c>--for</c>).</param>
    public static TimeSpan Parse(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var parts = Part().Matches(trimmed);
        if (trimmed.Length == 0 || parts.Sum(m => m.Length) != trimmed.Length)
        {
            throw new FormatException($"{what} must be a duration like 500ms, 30s, 10m or 1h30m (was \"{text}\")");
        }

        var total = TimeSpan.Zero;
        foreach (Match part in parts)
        {
            var value = double.Parse(part.Groups["n"].Value, CultureInfo.InvariantCulture);
            total += part.Groups["u"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(value),
                "s" => TimeSpan.FromSeconds(value),
                "m" => TimeSpan.FromMinutes(value),
                _ => TimeSpan.FromHours(value),
            };
        }

        return total;
    }

    /// <summary>Parses a latency in milliseconds: <c>300ms</c> or a range <c>200-800ms</c> (the unit may be s).</summary>
    /// <param name="text">The text.</param>
    /// <param name="what">The option it came from, for the error.</param>
    public static (int MinMs, int MaxMs) ParseLatency(string text, string what)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = LatencyRange().Match(text.Trim());
        if (!match.Success)
        {
            throw new FormatException($"{what} must be a latency like 300ms or a range like 200-800ms (was \"{text}\")");
        }

        var unit = match.Groups["u"].Value;
        var factor = unit == "s" ? 1000.0 : 1.0;
        var min = double.Parse(match.Groups["a"].Value, CultureInfo.InvariantCulture) * factor;
        var max = match.Groups["b"].Success ? double.Parse(match.Groups["b"].Value, CultureInfo.InvariantCulture) * factor : min;
        if (max < min)
        {
            throw new FormatException($"{what} range must go from low to high (was \"{text}\")");
        }

        return ((int)Math.Round(min), (int)Math.Round(max));
    }

    /// <summary>A duration the way the CLI prints it: <c>9m 58s</c>.</summary>
    public static string Format(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "expired";
        }

        return span.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours}h {span.Minutes}m")
            : span.TotalMinutes >= 1
                ? string.Create(CultureInfo.InvariantCulture, $"{span.Minutes}m {span.Seconds}s")
                : string.Create(CultureInfo.InvariantCulture, $"{span.Seconds}s");
    }

    [GeneratedRegex(@"(?<n>\d+(?:\.\d+)?)(?<u>ms|s|m|h)", RegexOptions.CultureInvariant)]
    private static partial Regex Part();

    [GeneratedRegex(@"^(?<a>\d+(?:\.\d+)?)(?:\s*-\s*(?<b>\d+(?:\.\d+)?))?\s*(?<u>ms|s)$", RegexOptions.CultureInvariant)]
    private static partial Regex LatencyRange();
}
