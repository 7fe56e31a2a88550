namespace ServerlessChaos.Cli.GameDay.Alarms;

/// <summary>The outcome of one alarm evaluation.</summary>
/// <param name="State">The new state.</param>
/// <param name="Reason">Why, in CloudWatch's StateReason style.</param>
internal readonly record struct AlarmEvaluation(AlarmState State, string Reason);

/// <summary>
/// Decides an alarm's state from its most recent datapoints the way CloudWatch documents it:
/// M out of N breaching datapoints give ALARM; missing datapoints are filled in by TreatMissingData;
/// with <c>missing</c>/<c>ignore</c> the evaluation looks back through the evaluation range for N real
/// datapoints, and when fewer exist CloudWatch's rule against premature ALARM transitions applies.
/// </summary>
internal static class AlarmEvaluator
{
    /// <summary>Evaluates one alarm.</summary>
    /// <param name="alarm">The alarm.</param>
    /// <param name="range">The datapoints of the evaluation range, oldest first; <c>null</c> is a missing datapoint. Only the last <see cref="AlarmDefinition.EvaluationRange"/> are used.</param>
    /// <param name="current">The alarm's state before this evaluation.</param>
    public static AlarmEvaluation Evaluate(AlarmDefinition alarm, IReadOnlyList<double?> range, AlarmState current)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(range);
        var n = alarm.EvaluationPeriods;
        var m = alarm.DatapointsToAlarm;
        var window = range.Skip(Math.Max(0, range.Count - alarm.EvaluationRange)).ToList();
        var lastN = window.Skip(Math.Max(0, window.Count - n)).ToList();
        while (lastN.Count < n)
        {
            lastN.Insert(0, null); // periods before the alarm existed are missing
        }

        switch (alarm.TreatMissing)
        {
            case TreatMissingData.Breaching:
            case TreatMissingData.NotBreaching:
            {
                var missingBreaches = alarm.TreatMissing == TreatMissingData.Breaching;
                var breaching = lastN.Count(v => v is { } x ? alarm.Breaches(x) : missingBreaches);
                return Decide(alarm, breaching, n);
            }

            default:
            {
                var present = window.Where(v => v.HasValue).Select(v => v!.Value).ToList();
                if (present.Count == 0)
                {
                    return alarm.TreatMissing == TreatMissingData.Ignore
                        ? new AlarmEvaluation(current, "no datapoints in the evaluation range; state kept (treatMissingData ignore)")
                        : new AlarmEvaluation(AlarmState.InsufficientData, "no datapoints in the evaluation range");
                }

                if (present.Count >= n)
                {
                    var lastReal = present.Skip(present.Count - n).ToList();
                    return Decide(alarm, lastReal.Count(alarm.Breaches), n);
                }

                // Fewer than N real datapoints: CloudWatch still alarms when the oldest breaching datapoint of the
                // last N periods is at least M periods old and everything newer is breaching or missing.
                var breachingCount = present.Count(alarm.Breaches);
                if (breachingCount >= m || IsPrematureAlarmAvoidedCase(alarm, lastN))
                {
                    return new AlarmEvaluation(AlarmState.Alarm, $"{breachingCount} of {present.Count} available datapoints breaching {Describe(alarm)}; the rest missing");
                }

                return new AlarmEvaluation(AlarmState.Ok, $"{breachingCount} of {present.Count} available datapoints breaching {Describe(alarm)} (needs {m})");
            }
        }
    }

    private static bool IsPrematureAlarmAvoidedCase(AlarmDefinition alarm, List<double?> lastN)
    {
        var oldestBreaching = lastN.FindIndex(v => v is { } x && alarm.Breaches(x));
        if (oldestBreaching < 0)
        {
            return false;
        }

        var age = lastN.Count - oldestBreaching; // the newest period is 1 period old
        var newerAllBreachingOrMissing = lastN.Skip(oldestBreaching + 1).All(v => v is not { } x || alarm.Breaches(x));
        return age >= alarm.DatapointsToAlarm && newerAllBreachingOrMissing;
    }

    private static AlarmEvaluation Decide(AlarmDefinition alarm, int breaching, int of)
    {
        var state = breaching >= alarm.DatapointsToAlarm ? AlarmState.Alarm : AlarmState.Ok;
        return new AlarmEvaluation(state, $"{breaching} of the last {of} datapoints breaching {Describe(alarm)} (alarm at {alarm.DatapointsToAlarm})");
    }

    private static string Describe(AlarmDefinition alarm)
    {
        var op = alarm.Comparison switch
        {
            ComparisonOperator.GreaterThanThreshold => ">",
            ComparisonOperator.GreaterThanOrEqualToThreshold => ">=",
            ComparisonOperator.LessThanThreshold => "<",
            _ => "<=",
        };
        return $"{op} {alarm.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
