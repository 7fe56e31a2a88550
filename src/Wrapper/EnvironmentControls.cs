using System.Globalization;
using ServerlessChaos.Wrapper.Telemetry;

namespace ServerlessChaos.Wrapper;

/// <summary>
/// The switches a team sets on the function without a code deploy: turn the wrapper off, tune its TTLs and fetch
/// budget. An invalid value is one log line naming the variable, and the default stays; it never stops the function.
/// </summary>
internal static class EnvironmentControls
{
    public const string DisabledVariable = "SERVERLESS_CHAOS_DISABLED";
    public const string FailureLambdaDisabledVariable = "FAILURE_LAMBDA_DISABLED";
    public const string ArmedTtlVariable = "SERVERLESS_CHAOS_ARMED_TTL";
    public const string IdleTtlVariable = "SERVERLESS_CHAOS_IDLE_TTL";
    public const string FetchBudgetVariable = "SERVERLESS_CHAOS_FETCH_BUDGET";

    /// <summary>Whether the wrapper is switched off (<c>SERVERLESS_CHAOS_DISABLED=true</c>, or failure-lambda's own switch).</summary>
    public static bool IsDisabled(Func<string, string?> environment, ChaosTelemetry telemetry) =>
        Flag(environment, DisabledVariable, telemetry) || Flag(environment, FailureLambdaDisabledVariable, telemetry);

    /// <summary>Applies the TTL and fetch-budget variables that are set to <paramref name="options"/>.</summary>
    public static void Apply(ChaosOptions options, Func<string, string?> environment, ChaosTelemetry telemetry)
    {
        options.ArmedTtl = Duration(environment, ArmedTtlVariable, options.ArmedTtl, TimeSpan.FromMinutes(15), telemetry);
        options.IdleTtl = Duration(environment, IdleTtlVariable, options.IdleTtl, TimeSpan.FromHours(1), telemetry);
        options.FetchBudget = Duration(environment, FetchBudgetVariable, options.FetchBudget, options.FetchTimeout, telemetry);
    }

    private static bool Flag(Func<string, string?> environment, string name, ChaosTelemetry telemetry)
    {
        var raw = environment(name)?.Trim();
        if (string.IsNullOrEmpty(raw) || raw.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (raw.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        telemetry.Problem($"{name} must be true or false (was \"{Shorten(raw)}\"); the wrapper stays on", "environment");
        return false;
    }

    /// <summary>A duration such as <c>5s</c>, <c>250ms</c>, <c>2m</c> (a bare number is milliseconds), from 0 to <paramref name="max"/>.</summary>
    internal static TimeSpan Duration(Func<string, string?> environment, string name, TimeSpan fallback, TimeSpan max, ChaosTelemetry telemetry)
    {
        var raw = environment(name)?.Trim();
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        var (digits, unit) = raw.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (raw[..^2], 1.0)
            : raw.EndsWith('s') || raw.EndsWith('S') ? (raw[..^1], 1000.0)
            : raw.EndsWith('m') || raw.EndsWith('M') ? (raw[..^1], 60_000.0)
            : (raw, 1.0);
        if (double.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var value = TimeSpan.FromMilliseconds(number * unit);
            if (value <= max)
            {
                return value;
            }
        }

        telemetry.Problem(
            $"{name} must be a duration such as 5s, 250ms or 2m between 0 and {Format(max)} (was \"{Shorten(raw)}\"); using {Format(fallback)}",
            "environment");
        return fallback;
    }

    private static string Format(TimeSpan value) =>
        value.TotalMilliseconds < 1000 ? $"{value.TotalMilliseconds:0}ms" : value.TotalSeconds < 60 ? $"{value.TotalSeconds:0.###}s" : $"{value.TotalMinutes:0.###}m";

    private static string Shorten(string text) => text.Length > 60 ? text[..57] + "..." : text;
}
