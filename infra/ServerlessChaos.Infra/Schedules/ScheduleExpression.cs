using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Infra.Schedules;

/// <summary>Checks EventBridge Scheduler expressions at synth time, so a typo fails <c>cdk synth</c>, not the deploy.</summary>
public static partial class ScheduleExpression
{
    /// <summary>Null when <paramref name="expression"/> is valid, otherwise why it is not.</summary>
    public static string? Problem(string expression)
    {
        if (RatePattern().Match(expression) is { Success: true } rate)
        {
            var value = long.Parse(rate.Groups["value"].Value, CultureInfo.InvariantCulture);
            var unit = rate.Groups["unit"].Value;
            if (value < 1)
            {
                return "rate(...) needs a positive value";
            }

            // EventBridge wants "1 hour" but "2 hours".
            return (value == 1) == unit.EndsWith('s') ? $"rate({value} {unit}) should use the {(value == 1 ? "singular" : "plural")} unit" : null;
        }

        if (AtPattern().Match(expression) is { Success: true } at)
        {
            return DateTime.TryParseExact(at.Groups["time"].Value, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                ? null
                : "at(...) needs a date and time like at(2026-11-28T10:00:00)";
        }

        if (CronPattern().Match(expression) is { Success: true } cron)
        {
            var fields = cron.Groups["fields"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 6)
            {
                return $"cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), found {fields.Length}";
            }

            var dayOfMonth = fields[2];
            var dayOfWeek = fields[4];
            if ((dayOfMonth == "?") == (dayOfWeek == "?"))
            {
                return "cron(...) needs '?' in exactly one of day-of-month and day-of-week";
            }

            return fields.All(f => CronField().IsMatch(f)) ? null : "cron(...) has a field with characters EventBridge does not accept";
        }

        return "use cron(...), rate(...) or at(...)";
    }

    [GeneratedRegex(@"^rate\((?<value>\d+) (?<unit>minutes?|hours?|days?)\)$")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"^at\((?<time>[^)]+)\)$")]
    private static partial Regex AtPattern();

    [GeneratedRegex(@"^cron\((?<fields>[^)]+)\)$")]
    private static partial Regex CronPattern();

    [GeneratedRegex(@"^[0-9A-Za-z*?,/\-#L W]+$")]
    private static partial Regex CronField();
}
