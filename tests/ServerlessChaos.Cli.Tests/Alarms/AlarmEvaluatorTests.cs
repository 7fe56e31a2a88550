using ServerlessChaos.Cli.GameDay.Alarms;

namespace ServerlessChaos.Cli.Tests.Alarms;

// Expected states follow CloudWatch's documented alarm evaluation: M out of N, TreatMissingData, the
// evaluation range that reaches back for real datapoints, and the rule against premature ALARM transitions.
public class AlarmEvaluatorTests
{
    private const double X = 900;  // breaches a p99 threshold of 500 ms
    private const double O = 100;  // within it

    private static AlarmDefinition Alarm(int n, int m, TreatMissingData missing = TreatMissingData.Missing, ComparisonOperator op = ComparisonOperator.GreaterThanThreshold) =>
        new("p99", AlarmMetric.P99LatencyMs, 500, op, TimeSpan.FromSeconds(5), n, m, missing);

    private static AlarmState Eval(AlarmDefinition alarm, AlarmState current, params double?[] range) =>
        AlarmEvaluator.Evaluate(alarm, range, current).State;

    [Fact]
    public void Three_breaching_of_three_goes_to_alarm()
    {
        Eval(Alarm(3, 3), AlarmState.Ok, X, X, X).ShouldBe(AlarmState.Alarm);
    }

    [Fact]
    public void Two_of_three_alarm_needs_two_breaching_datapoints_not_consecutive_ones()
    {
        Eval(Alarm(3, 2), AlarmState.Ok, X, O, X).ShouldBe(AlarmState.Alarm);
        Eval(Alarm(3, 2), AlarmState.Ok, X, O, O).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void Only_the_last_N_datapoints_count_when_all_are_present()
    {
        // Two old breaches fall out of a 2-of-3 alarm once three newer datapoints exist.
        Eval(Alarm(3, 2), AlarmState.Alarm, X, X, O, O, O).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void An_alarm_returns_to_ok_when_fewer_than_M_of_the_last_N_breach()
    {
        Eval(Alarm(3, 2), AlarmState.Alarm, X, X, X, O, O).ShouldBe(AlarmState.Ok);
        Eval(Alarm(3, 2), AlarmState.Alarm, X, X, X, X, O).ShouldBe(AlarmState.Alarm);
    }

    [Fact]
    public void Missing_treated_as_missing_with_no_data_at_all_is_insufficient_data()
    {
        Eval(Alarm(3, 2), AlarmState.Ok, null, null, null, null, null).ShouldBe(AlarmState.InsufficientData);
        Eval(Alarm(3, 2), AlarmState.Ok).ShouldBe(AlarmState.InsufficientData);
    }

    [Fact]
    public void Ignore_with_no_data_keeps_the_current_state()
    {
        Eval(Alarm(3, 2, TreatMissingData.Ignore), AlarmState.Alarm, null, null, null).ShouldBe(AlarmState.Alarm);
        Eval(Alarm(3, 2, TreatMissingData.Ignore), AlarmState.Ok, null, null, null).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void Breaching_counts_missing_datapoints_as_breaches()
    {
        Eval(Alarm(3, 2, TreatMissingData.Breaching), AlarmState.Ok, O, null, null).ShouldBe(AlarmState.Alarm);
        Eval(Alarm(3, 2, TreatMissingData.Breaching), AlarmState.Ok, O, O, null).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void Not_breaching_counts_missing_datapoints_as_good_ones()
    {
        Eval(Alarm(3, 2, TreatMissingData.NotBreaching), AlarmState.Ok, X, null, null).ShouldBe(AlarmState.Ok);
        Eval(Alarm(3, 2, TreatMissingData.NotBreaching), AlarmState.Ok, null, null, null).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void Missing_reaches_back_through_the_evaluation_range_for_N_real_datapoints()
    {
        // Three breaches then two empty periods: CloudWatch evaluates the three real datapoints.
        Eval(Alarm(3, 3), AlarmState.Ok, X, X, X, null, null).ShouldBe(AlarmState.Alarm);
        // notBreaching fills the two empty periods instead, so only one of the last three breaches.
        Eval(Alarm(3, 3, TreatMissingData.NotBreaching), AlarmState.Ok, X, X, X, null, null).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void With_few_datapoints_an_old_enough_breach_followed_only_by_missing_data_alarms()
    {
        // The oldest breach is 2 periods old (>= M = 2) and nothing newer is good: ALARM although only 1 datapoint exists.
        Eval(Alarm(3, 2), AlarmState.Ok, null, X, null).ShouldBe(AlarmState.Alarm);
        // A breach in the newest period alone is not old enough yet.
        Eval(Alarm(3, 2), AlarmState.Ok, null, null, X).ShouldBe(AlarmState.Ok);
        // A good datapoint after the breach prevents the early transition.
        Eval(Alarm(3, 2), AlarmState.Ok, X, O, null).ShouldBe(AlarmState.Ok);
    }

    [Fact]
    public void One_good_datapoint_is_enough_for_ok_with_missing_data()
    {
        Eval(Alarm(3, 2), AlarmState.InsufficientData, null, null, O).ShouldBe(AlarmState.Ok);
    }

    [Theory]
    [InlineData(nameof(ComparisonOperator.GreaterThanThreshold), 500, false)]
    [InlineData(nameof(ComparisonOperator.GreaterThanThreshold), 501, true)]
    [InlineData(nameof(ComparisonOperator.GreaterThanOrEqualToThreshold), 500, true)]
    [InlineData(nameof(ComparisonOperator.LessThanThreshold), 500, false)]
    [InlineData(nameof(ComparisonOperator.LessThanThreshold), 499, true)]
    [InlineData(nameof(ComparisonOperator.LessThanOrEqualToThreshold), 500, true)]
    public void The_comparison_operator_decides_what_breaches(string comparison, double value, bool breaches)
    {
        var op = Enum.Parse<ComparisonOperator>(comparison);
        Eval(Alarm(1, 1, op: op), AlarmState.Ok, value).ShouldBe(breaches ? AlarmState.Alarm : AlarmState.Ok);
    }

    [Fact]
    public void The_reason_says_how_many_datapoints_breached()
    {
        AlarmEvaluator.Evaluate(Alarm(3, 2), [X, O, X], AlarmState.Ok).Reason.ShouldContain("2 of the last 3 datapoints breaching > 500");
    }

    [Fact]
    public void Datapoints_to_alarm_above_evaluation_periods_is_rejected_with_the_field_named()
    {
        var ex = Should.Throw<ArgumentException>(() => Alarm(2, 3).Validate());
        ex.Message.ShouldContain("datapointsToAlarm must be between 1 and evaluationPeriods (2) (was 3)");
    }
}
