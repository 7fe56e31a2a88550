using Amazon.CDK.AWS.Logs;

namespace ServerlessChaos.Infra.Settings;

/// <summary>Day counts to the CDK's <see cref="RetentionDays"/> (whose .NET values are not day counts).</summary>
public static class RetentionPeriods
{
    private static readonly Dictionary<int, RetentionDays> ByDays = new()
    {
        [1] = RetentionDays.ONE_DAY, [3] = RetentionDays.THREE_DAYS, [5] = RetentionDays.FIVE_DAYS, [7] = RetentionDays.ONE_WEEK,
        [14] = RetentionDays.TWO_WEEKS, [30] = RetentionDays.ONE_MONTH, [60] = RetentionDays.TWO_MONTHS, [90] = RetentionDays.THREE_MONTHS,
        [120] = RetentionDays.FOUR_MONTHS, [150] = RetentionDays.FIVE_MONTHS, [180] = RetentionDays.SIX_MONTHS, [365] = RetentionDays.ONE_YEAR,
        [400] = RetentionDays.THIRTEEN_MONTHS, [545] = RetentionDays.EIGHTEEN_MONTHS, [731] = RetentionDays.TWO_YEARS,
        [1096] = RetentionDays.THREE_YEARS, [1827] = RetentionDays.FIVE_YEARS, [2192] = RetentionDays.SIX_YEARS,
        [2557] = RetentionDays.SEVEN_YEARS, [2922] = RetentionDays.EIGHT_YEARS, [3288] = RetentionDays.NINE_YEARS, [3653] = RetentionDays.TEN_YEARS,
    };

    /// <summary>The day counts CloudWatch Logs accepts.</summary>
    public static IReadOnlyCollection<int> AllowedDays => ByDays.Keys;

    /// <summary>The retention for <paramref name="days"/> (one of <see cref="AllowedDays"/>).</summary>
    public static RetentionDays Of(int days) => ByDays[days];
}
