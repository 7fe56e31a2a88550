namespace ServerlessChaos.Cli.GameDay.Alarms;

/// <summary>What a local alarm watches, computed per period from the game day's requests.</summary>
internal enum AlarmMetric
{
    /// <summary>The 99th percentile latency of the requests completed in the period, in milliseconds.</summary>
    P99LatencyMs,

    /// <summary>The share of requests in the period answered with a 5xx (or not answered), in percent.</summary>
    ServerErrorRatePercent,
}

/// <summary>CloudWatch's comparison operators for static thresholds.</summary>
internal enum ComparisonOperator
{
    /// <summary><c>GreaterThanThreshold</c>.</summary>
    GreaterThanThreshold,

    /// <summary><c>GreaterThanOrEqualToThreshold</c>.</summary>
    GreaterThanOrEqualToThreshold,

    /// <summary><c>LessThanThreshold</c>.</summary>
    LessThanThreshold,

    /// <summary><c>LessThanOrEqualToThreshold</c>.</summary>
    LessThanOrEqualToThreshold,
}

/// <summary>CloudWatch's <c>TreatMissingData</c> settings.</summary>
internal enum TreatMissingData
{
    /// <summary><c>missing</c> (CloudWatch's default): only an evaluation range with no data at all gives INSUFFICIENT_DATA.</summary>
    Missing,

    /// <summary><c>ignore</c>: with no data the current state is kept.</summary>
    Ignore,

    /// <summary><c>breaching</c>: a missing datapoint counts as breaching.</summary>
    Breaching,

    /// <summary><c>notBreaching</c>: a missing datapoint counts as within the threshold.</summary>
    NotBreaching,
}

/// <summary>The three alarm states, named as CloudWatch names them.</summary>
internal enum AlarmState
{
    /// <summary><c>INSUFFICIENT_DATA</c>: the state of a new alarm and of one with no data.</summary>
    InsufficientData,

    /// <summary><c>OK</c>.</summary>
    Ok,

    /// <summary><c>ALARM</c>.</summary>
    Alarm,
}

/// <summary>A local alarm, with CloudWatch's knobs.</summary>
/// <param name="Name">The alarm name the experiment refers to.</param>
/// <param name="Metric">What is measured per period.</param>
/// <param name="Threshold">The value compared against.</param>
/// <param name="Comparison">How a datapoint is compared with <paramref name="Threshold"/>.</param>
/// <param name="Period">The length of one datapoint.</param>
/// <param name="EvaluationPeriods">N: how many of the most recent datapoints are evaluated.</param>
/// <param name="DatapointsToAlarm">M: how many of those N must breach for ALARM.</param>
/// <param name="TreatMissing">What a period without requests means.</param>
internal sealed record AlarmDefinition(
    string Name,
    AlarmMetric Metric,
    double Threshold,
    ComparisonOperator Comparison,
    TimeSpan Period,
    int EvaluationPeriods,
    int DatapointsToAlarm,
    TreatMissingData TreatMissing = TreatMissingData.Missing)
{
    /// <summary>
    /// How many datapoints are fetched for one evaluation. CloudWatch fetches more than N so that an alarm
    /// treating missing data as <c>missing</c> can still find N real datapoints; two more is enough here.
    /// </summary>
    public int EvaluationRange => EvaluationPeriods + 2;

    /// <summary>Throws with the field and the problem when the definition cannot be evaluated.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("alarm name must not be empty");
        }

        if (Period <= TimeSpan.Zero)
        {
            throw new ArgumentException($"alarm {Name}: period must be positive (was {Period})");
        }

        if (EvaluationPeriods < 1)
        {
            throw new ArgumentException($"alarm {Name}: evaluationPeriods must be at least 1 (was {EvaluationPeriods})");
        }

        if (DatapointsToAlarm < 1 || DatapointsToAlarm > EvaluationPeriods)
        {
            throw new ArgumentException($"alarm {Name}: datapointsToAlarm must be between 1 and evaluationPeriods ({EvaluationPeriods}) (was {DatapointsToAlarm})");
        }
    }

    /// <summary>Whether one datapoint breaches the threshold.</summary>
    public bool Breaches(double value) => Comparison switch
    {
        ComparisonOperator.GreaterThanThreshold => value > Threshold,
        ComparisonOperator.GreaterThanOrEqualToThreshold => value >= Threshold,
        ComparisonOperator.LessThanThreshold => value < Threshold,
        ComparisonOperator.LessThanOrEqualToThreshold => value <= Threshold,
        _ => throw new InvalidOperationException($"unknown comparison {Comparison}"),
    };
}

/// <summary>Names of the alarm states on the wire.</summary>
internal static class AlarmStateNames
{
    /// <summary>CloudWatch's name of a state: <c>OK</c>, <c>ALARM</c>, <c>INSUFFICIENT_DATA</c>.</summary>
    public static string ToWire(this AlarmState state) => state switch
    {
        AlarmState.Ok => "OK",
        AlarmState.Alarm => "ALARM",
        _ => "INSUFFICIENT_DATA",
    };
}
