using ServerlessChaos.Cli.GameDay.Alarms;

namespace ServerlessChaos.Cli.Tests.Alarms;

public class AlarmFileTests
{
    [Fact]
    public void A_file_of_alarms_is_read_with_cloudwatch_defaults_for_what_it_leaves_out()
    {
        var alarms = AlarmFile.Parse("""
            [ { "name": "p99", "metric": "p99LatencyMs", "threshold": 500, "periodSeconds": 2, "evaluationPeriods": 3, "datapointsToAlarm": 2 },
              { "name": "5xx", "metric": "serverErrorRatePercent", "threshold": 5, "periodSeconds": 1, "comparisonOperator": "GreaterThanOrEqualToThreshold", "treatMissingData": "notBreaching" } ]
            """, "alarms.json");

        alarms.Count.ShouldBe(2);
        alarms[0].ShouldBe(new AlarmDefinition("p99", AlarmMetric.P99LatencyMs, 500, ComparisonOperator.GreaterThanThreshold, TimeSpan.FromSeconds(2), 3, 2));
        alarms[1].ShouldBe(new AlarmDefinition("5xx", AlarmMetric.ServerErrorRatePercent, 5, ComparisonOperator.GreaterThanOrEqualToThreshold, TimeSpan.FromSeconds(1), 1, 1, TreatMissingData.NotBreaching));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        var ex = Should.Throw<ServerlessChaos.Cli.CliException>(() => AlarmFile.Parse("""
            [ { "metric": "p50", "threshold": -1, "periodSeconds": 0, "evaluationPeriods": 3, "datapointsToAlarm": 4, "colour": "red" },
              { "name": "a", "metric": "p99LatencyMs", "threshold": 1, "periodSeconds": 1, "treatMissingData": "maybe" } ]
            """, "alarms.json"));

        ex.Message.ShouldContain("alarms[0].name is required");
        ex.Message.ShouldContain("alarms[0].metric must be p99LatencyMs or serverErrorRatePercent (was p50)");
        ex.Message.ShouldContain("alarms[0].threshold must be between 0");
        ex.Message.ShouldContain("alarms[0].periodSeconds must be between 1 and 3600 (was 0)");
        ex.Message.ShouldContain("alarms[0].datapointsToAlarm must be between 1 and 3 (was 4)");
        ex.Message.ShouldContain("alarms[0].colour is not a known field");
        ex.Message.ShouldContain("alarms[1].treatMissingData must be missing, ignore, breaching or notBreaching (was maybe)");
    }
}
