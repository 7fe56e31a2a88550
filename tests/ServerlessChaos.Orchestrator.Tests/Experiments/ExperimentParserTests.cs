using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Tests.Experiments;

public class ExperimentParserTests
{
    private const string Minimal = """
        {
          "name": "checkout-latency",
          "hypothesis": { "alarms": ["a"] },
          "faults": [ { "wrapper": { "parameter": "/serverless-chaos/functions/checkout", "settings": { "faults": [ { "type": "latency", "rate": 0.5, "minMs": 1, "maxMs": 2 } ] } } } ],
          "durationSeconds": 60
        }
        """;

    [Fact]
    public void Every_sample_experiment_in_events_is_valid()
    {
        var files = Directory.GetFiles(Repository.Path("events", "experiments"), "*.json");
        files.ShouldNotBeEmpty();
        foreach (var file in files)
        {
            // The local game day's experiments may name the sample API as ${SampleApiUrl}; it fills in the address.
            var experiment = ExperimentParser.Parse(File.ReadAllText(file).Replace("${SampleApiUrl}", "http://127.0.0.1:8080", StringComparison.Ordinal));
            experiment.Faults.ShouldNotBeEmpty(file);
        }
    }

    [Fact]
    public void The_local_gameday_sample_targets_the_sample_api_and_its_two_alarms()
    {
        var experiment = ExperimentParser.Parse(File.ReadAllText(Repository.Path("events", "experiments", "gameday-local.json")));
        experiment.Faults.Single().Wrapper!.Parameter.ShouldBe("/serverless-chaos/functions/sample-api");
        experiment.Hypothesis.Alarms.ShouldBe(["sample-api-p99-latency", "sample-api-5xx-rate"]);
        experiment.DurationSeconds.ShouldBeInRange(20, 45); // the third experiment of the default plan, which stays within 120 s
        experiment.PollIntervalSeconds.ShouldBeInRange(2, 5);
    }

    [Fact]
    public void The_corruption_and_dry_run_game_day_samples_parse_and_a_bad_value_in_either_is_an_error_naming_its_field()
    {
        var corruption = File.ReadAllText(Repository.Path("events", "experiments", "gameday-corruption.json"));
        var dryRun = File.ReadAllText(Repository.Path("events", "experiments", "gameday-dry-run.json"));
        ExperimentParser.Parse(corruption).Faults.Single().Wrapper!.Settings["faults"]!.AsArray().ShouldAllBe(f => f!["type"]!.GetValue<string>() == "corruption");
        ExperimentParser.Parse(dryRun).Faults.Single().Wrapper!.Settings["dryRun"]!.GetValue<bool>().ShouldBeTrue();

        var badCorruption = JsonNode.Parse(corruption)!;
        badCorruption["faults"]![0]!["wrapper"]!["settings"]!["faults"]![1]!["body"] = 42;
        var badDryRun = JsonNode.Parse(dryRun)!;
        badDryRun["faults"]![0]!["wrapper"]!["settings"]!["dryRun"] = "yes";

        var corruptionErrors = Should.Throw<ExperimentValidationException>(() => ExperimentParser.Parse(badCorruption.ToJsonString())).Errors;
        corruptionErrors.ShouldHaveSingleItem().ShouldStartWith("faults[0].wrapper.settings");
        corruptionErrors[0].ShouldContain("body");
        var dryRunErrors = Should.Throw<ExperimentValidationException>(() => ExperimentParser.Parse(badDryRun.ToJsonString())).Errors;
        dryRunErrors.ShouldHaveSingleItem().ShouldStartWith("faults[0].wrapper.settings");
        dryRunErrors[0].ShouldContain("dryRun");
    }

    [Fact]
    public void A_minimal_experiment_gets_the_documented_defaults()
    {
        var experiment = ExperimentParser.Parse(Minimal);
        experiment.Version.ShouldBe(1);
        experiment.PollIntervalSeconds.ShouldBe(10);
        experiment.AbortBudgetSeconds.ShouldBe(120);
        experiment.Hypothesis.RecoveryWindowSeconds.ShouldBe(60);
        experiment.DryRun.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{"faults":[{"wrapper":{"settings":{"faults":[{}]}}}]}""", "faults[0].wrapper.parameter is required")]
    [InlineData("""{"faults":[{"wrapper":{"parameter":"/other/x","settings":{"faults":[{}]}}}]}""", "faults[0].wrapper.parameter must start with /serverless-chaos/functions/ (was \"/other/x\")")]
    [InlineData("""{"faults":[{"wrapper":{"parameter":"/serverless-chaos/functions/x","settings":{"enabled":false,"faults":[{}]}}}]}""", "faults[0].wrapper.settings.enabled must be true or left out")]
    [InlineData("""{"faults":[{"wrapper":{"parameter":"/serverless-chaos/functions/x","settings":{"expiresAt":"2020-01-01T00:00:00Z","faults":[{}]}}}]}""", "faults[0].wrapper.settings.expiresAt must be left out")]
    [InlineData("""{"faults":[{"fis":{}}]}""", "faults[0].fis.templateId or faults[0].fis.templateTag is required")]
    [InlineData("""{"faults":[{"fis":{"templateId":"EXT1","actionsMode":"some"}}]}""", "faults[0].fis.actionsMode must be run-all or skip-all (was \"some\")")]
    [InlineData("""{"faults":[{"httpLoad":{"url":"ftp://x"}}]}""", "faults[0].httpLoad.url must be an absolute http or https URL")]
    [InlineData("""{"faults":[{"httpLoad":{"url":"https://x","variant":"weird"}}]}""", "faults[0].httpLoad.variant must be one of valid, malformedBody, missingAuthorization, invalidAuthorization (was \"weird\")")]
    [InlineData("""{"faults":[{"httpLoad":{"url":"https://x","ratePerSecond":0}}]}""", "faults[0].httpLoad.ratePerSecond must be between 0.1 and 1000 (was 0)")]
    [InlineData("""{"faults":[{"chaos":{}}]}""", "faults[0].chaos is not a fault kind")]
    [InlineData("""{"faults":[{"fis":{"templateId":"a"},"httpLoad":{"url":"https://x"}}]}""", "faults[0] must have exactly one of wrapper, fis or httpLoad")]
    [InlineData("""{"faults":[]}""", "faults must contain at least one fault")]
    [InlineData("""{"durationSeconds":"long"}""", "durationSeconds must be a whole number (was \"long\")")]
    [InlineData("""{"durationSeconds":0}""", "durationSeconds must be between 1 and 43200 (was 0)")]
    [InlineData("""{"pollIntervalSeconds":90}""", "pollIntervalSeconds must not be longer than durationSeconds (90 > 60)")]
    [InlineData("""{"hypothesis":{"alarms":[]}}""", "hypothesis.alarms must contain at least 1 item(s)")]
    [InlineData("""{"hypothesis":{"alarms":[3]}}""", "hypothesis.alarms[0] must be a non-empty string (was 3)")]
    [InlineData("""{"name":"has space"}""", "name may contain only letters, digits")]
    [InlineData("""{"colour":"red"}""", "colour is not a known field")]
    [InlineData("""{"version":2}""", "version must be between 1 and 1 (was 2)")]
    public void A_wrong_field_is_named_with_the_problem(string patch, string expected)
    {
        var input = JsonNode.Parse(Minimal)!.AsObject();
        foreach (var (key, value) in JsonNode.Parse(patch)!.AsObject())
        {
            input[key] = value?.DeepClone();
        }

        var error = Should.Throw<ExperimentValidationException>(() => ExperimentParser.Parse(input));
        error.Errors.ShouldContain(e => e.StartsWith(expected, StringComparison.Ordinal), $"errors were: {string.Join(" | ", error.Errors)}");
        error.Message.ShouldContain(expected);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var error = Should.Throw<ExperimentValidationException>(() => ExperimentParser.Parse("""{"faults":[{"wrapper":{}}]}"""));
        error.Errors.ShouldContain("name is required");
        error.Errors.ShouldContain("durationSeconds is required");
        error.Errors.ShouldContain("hypothesis is required");
        error.Errors.ShouldContain("faults[0].wrapper.parameter is required");
        error.Errors.ShouldContain("faults[0].wrapper.settings is required");
    }

    [Fact]
    public void Text_that_is_not_json_is_refused_with_a_clear_error()
    {
        Should.Throw<ExperimentValidationException>(() => ExperimentParser.Parse("{nope"))
            .Errors.Single().ShouldStartWith("experiment is not valid JSON");
    }

    [Fact]
    public void A_dry_run_starts_fis_templates_with_actions_skipped()
    {
        var experiment = ExperimentParser.Parse(File.ReadAllText(Repository.Path("events", "experiments", "fis-template-dry-run.json")));
        experiment.DryRun.ShouldBeTrue();
        experiment.Faults.Single().Fis!.ActionsMode.ShouldBe("skip-all");
    }
}
