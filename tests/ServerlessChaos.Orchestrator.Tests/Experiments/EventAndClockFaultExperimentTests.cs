using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Tests.Experiments;

public class EventAndClockFaultExperimentTests
{
    private static string Experiment(string faults) => $$"""
        {
          "name": "orders-consumer",
          "hypothesis": { "alarms": ["orders-dlq-depth"] },
          "faults": [ { "wrapper": { "parameter": "/serverless-chaos/functions/orders-consumer", "settings": { "faults": [ {{faults}} ] } } } ],
          "durationSeconds": 60
        }
        """;

    [Fact]
    public void The_sample_sqs_consumer_experiment_arms_duplicates_delays_and_reordering()
    {
        var experiment = ExperimentParser.Parse(File.ReadAllText(Repository.Path("events", "experiments", "orders-consumer-at-least-once.json")));

        var faults = experiment.Faults.Single().Wrapper!.Settings["faults"]!.AsArray();
        faults.Select(f => f!["type"]!.GetValue<string>()).ShouldBe(["duplicateRecords", "delayRecords", "reorderRecords"]);
        faults[1]!["reportBatchItemFailures"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"type":"delayRecords","rate":0.2}""", "faults[0].wrapper.settings.faults[0].reportBatchItemFailures must be true")]
    [InlineData("""{"type":"duplicateRecords","rate":0.2,"mode":"twice"}""", "faults[0].wrapper.settings.faults[0].mode must be records or batch (was \"twice\")")]
    [InlineData("""{"type":"reorderRecords","rate":2}""", "faults[0].wrapper.settings.faults[0].rate must be between 0 and 1 (was 2)")]
    [InlineData("""{"type":"clockSkew","rate":1,"offsetMs":0.5}""", "faults[0].wrapper.settings.faults[0].offsetMs must be a whole number (was 0.5)")]
    public void An_experiment_with_a_bad_event_or_clock_fault_is_refused_naming_the_field(string fault, string expected)
    {
        var error = Should.Throw<ExperimentValidationException>(() => ExperimentParser.Parse(Experiment(fault)));

        error.Errors.ShouldContain(e => e.StartsWith(expected, StringComparison.Ordinal), string.Join(" | ", error.Errors));
    }
}
