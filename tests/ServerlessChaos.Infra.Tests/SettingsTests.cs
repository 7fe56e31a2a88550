using System.Text.Json.Nodes;
using ServerlessChaos.Infra.Settings;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

public sealed class SettingsTests
{
    private static InfraSettings Read(string json, string? bootstrap = null) =>
        InfraSettingsReader.Read(JsonNode.Parse(json), Repository.Root, bootstrap);

    private static string ErrorOf(string json) => Should.Throw<InfraSettingsException>(() => Read(json)).Message;

    private static string Schedule(string field, string value) => With(
        $$"""{ "name": "weekly", "expression": "rate(7 days)", "input": "{{Repository.FirstExperimentInput}}" }""", "schedules", field, value);

    private static string Template(string field, string value) => With(
        """
        { "name": "t", "description": "d", "action": "aws:lambda:invocation-add-delay", "duration": "PT5M",
          "targetTags": { "team": "a" }, "selectionMode": "COUNT(1)", "stopAlarms": ["a"] }
        """, "experimentTemplates", field, value);

    // One valid item with one field replaced.
    private static string With(string item, string list, string field, string value)
    {
        var node = JsonNode.Parse(item)!.AsObject();
        node[field] = JsonNode.Parse(value);
        return new JsonObject { [list] = new JsonArray(node) }.ToJsonString();
    }

    [Fact]
    public void Without_settings_the_contract_defaults_apply_and_the_published_bootstrap_is_expected()
    {
        var settings = InfraSettingsReader.Read(null, Repository.Root);

        settings.ParameterPrefix.ShouldBe("/serverless-chaos/functions/");
        settings.HaltParameter.ShouldBe("/serverless-chaos/halt");
        settings.LedgerPrefix.ShouldBe("/serverless-chaos/ledger/");
        settings.StateMachineName.ShouldBe("serverless-chaos-experiment");
        settings.Bootstrap.IsPlaceholder.ShouldBeFalse();
        settings.Bootstrap.Directory.ShouldBe("artifacts/bootstrap");
        settings.SampleTarget.Enabled.ShouldBeTrue();
    }

    [Fact]
    public void The_placeholder_bootstrap_is_chosen_only_by_name()
    {
        Read("{}", "placeholder").Bootstrap.IsPlaceholder.ShouldBeTrue();
        Read("{}", "out/bootstrap").Bootstrap.Directory.ShouldBe("out/bootstrap");
    }

    [Fact]
    public void The_cdk_json_of_the_repository_is_valid()
    {
        var cdk = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "cdk.json")))!;
        var settings = InfraSettingsReader.Read(cdk["context"]![InfraSettings.ContextKey], Repository.Root);

        settings.NamePrefix.ShouldBe("serverless-chaos");
        cdk["build"]!.GetValue<string>().ShouldContain("-o artifacts/bootstrap");
    }

    [Fact]
    public void A_schedule_with_a_bad_expression_names_the_field()
    {
        ErrorOf(Schedule("expression", "\"cron(0 10 * * TUE *)\"")).ShouldBe(
            "context.serverlessChaos.schedules[0].expression is not a valid schedule expression: " +
            "cron(...) needs '?' in exactly one of day-of-month and day-of-week (was 'cron(0 10 * * TUE *)')");
        ErrorOf(Schedule("expression", "\"every tuesday\"")).ShouldStartWith("context.serverlessChaos.schedules[0].expression is not a valid schedule expression");
    }

    [Fact]
    public void A_schedule_needs_a_real_time_zone_and_an_input_file_under_events_experiments()
    {
        ErrorOf(Schedule("timeZone", "\"Mars/Olympus\"")).ShouldStartWith("context.serverlessChaos.schedules[0].timeZone must be an IANA time zone");
        ErrorOf(Schedule("input", "\"cdk.json\"")).ShouldBe("context.serverlessChaos.schedules[0].input must be a .json file under events/experiments/ (was 'cdk.json')");
        ErrorOf(Schedule("input", "\"events/experiments/none-such.json\"")).ShouldBe("context.serverlessChaos.schedules[0].input file 'events/experiments/none-such.json' does not exist");
        ErrorOf(Schedule("maximumEventAgeSeconds", "30")).ShouldBe("context.serverlessChaos.schedules[0].maximumEventAgeSeconds must be between 60 and 86400 (was 30)");
    }

    [Fact]
    public void A_template_must_select_a_bounded_set_of_tagged_targets_and_have_stop_alarms()
    {
        ErrorOf(Template("selectionMode", "\"ALL\"")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].selectionMode must be COUNT(n) or PERCENT(n): a bounded selection, never ALL (was 'ALL')");
        ErrorOf(Template("selectionMode", "\"PERCENT(150)\"")).ShouldContain("PERCENT(n) needs n between 1 and 100");
        ErrorOf(Template("stopAlarms", "[]")).ShouldStartWith("context.serverlessChaos.experimentTemplates[0].stopAlarms must name at least one hypothesis alarm");
        ErrorOf(Template("targetTags", "{}")).ShouldStartWith("context.serverlessChaos.experimentTemplates[0].targetTags must name at least one tag");
    }

    [Fact]
    public void A_template_takes_only_the_parameters_and_duration_of_its_action()
    {
        ErrorOf(Template("parameters", """{ "statusCode": "503" }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.statusCode is not a parameter of aws:lambda:invocation-add-delay " +
            "(it takes invocationPercentage, startupDelayMilliseconds)");
        ErrorOf(Template("action", "\"aws:ec2:terminate-instances\"")).ShouldStartWith(
            "context.serverlessChaos.experimentTemplates[0].action must be one of aws:ecs:stop-task, ");
        ErrorOf(Template("duration", "\"PT30S\"")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].duration must be between one minute (PT1M) and 12 hours (PT12H) (was 'PT30S')");
    }

    [Fact]
    public void Parameters_FIS_requires_are_required_at_synth()
    {
        string Http(string parameters) => Template("action", "\"aws:lambda:invocation-http-integration-response\"")
            .Replace("\"duration\"", $"\"parameters\":{parameters},\"duration\"", StringComparison.Ordinal);

        ErrorOf(Http("""{ "preventExecution": true, "contentTypeHeader": "application/json" }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.statusCode is required by aws:lambda:invocation-http-integration-response (a whole number from 100 to 599)");
        ErrorOf(Http("""{ "statusCode": 503, "preventExecution": true }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.contentTypeHeader is required by aws:lambda:invocation-http-integration-response (text)");
        ErrorOf(Http("""{ "statusCode": 503, "contentTypeHeader": "application/json" }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.preventExecution is required by aws:lambda:invocation-http-integration-response (true or false)");
        ErrorOf(Template("action", "\"aws:lambda:invocation-error\"")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.preventExecution is required by aws:lambda:invocation-error (true or false)");
        Read(Http("""{ "statusCode": 503, "contentTypeHeader": "application/json", "preventExecution": false }""")).ExperimentTemplates.Single()
            .Parameters.ShouldBe(new Dictionary<string, string> { ["statusCode"] = "503", ["contentTypeHeader"] = "application/json", ["preventExecution"] = "false" }, ignoreOrder: true);
    }

    [Fact]
    public void Parameter_values_are_checked_against_the_format_FIS_documents()
    {
        string Latency(string parameters) => Template("action", "\"aws:ecs:task-network-latency\"")
            .Replace("\"duration\"", $"\"parameters\":{parameters},\"duration\"", StringComparison.Ordinal);

        Read(Latency("""{ "delayMilliseconds": 300, "flowsPercent": 50, "sources": "DYNAMODB", "installDependencies": "True" }"""))
            .ExperimentTemplates.Single().Parameters["flowsPercent"].ShouldBe("50", "flowsPercent is a documented parameter of network latency");
        ErrorOf(Latency("""{ "flowsPercent": 150 }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.flowsPercent must be a whole number from 0 to 100 (was '150')");
        ErrorOf(Latency("""{ "delayMilliseconds": "soon" }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.delayMilliseconds must be a whole number of at least 0 (was 'soon')");
        ErrorOf(Latency("""{ "installDependencies": true }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.installDependencies must be True or False (spelled as the FIS SSM document takes it) (was 'true')");
        ErrorOf(Template("parameters", """{ "invocationPercentage": 0 }""")).ShouldBe(
            "context.serverlessChaos.experimentTemplates[0].parameters.invocationPercentage must be a whole number from 1 to 100 (was '0')");
        ErrorOf(Template("action", "\"aws:lambda:invocation-error\"").Replace("\"duration\"", "\"parameters\":{\"preventExecution\":\"yes\"},\"duration\"", StringComparison.Ordinal))
            .ShouldBe("context.serverlessChaos.experimentTemplates[0].parameters.preventExecution must be true or false (was 'yes')");
    }

    [Fact]
    public void Unknown_and_mistyped_settings_are_named()
    {
        ErrorOf("""{ "haltParam": "/x" }""").ShouldStartWith("context.serverlessChaos.haltParam is not a known setting");
        ErrorOf("""{ "logRetentionDays": 31 }""").ShouldStartWith("context.serverlessChaos.logRetentionDays must be one of 1, 3, 5");
        ErrorOf("""{ "controlFunctions": { "memoryMb": "lots" } }""").ShouldBe("context.serverlessChaos.controlFunctions.memoryMb must be a whole number (was \"lots\")");
        ErrorOf("""{ "parameterPrefix": "serverless-chaos" }""").ShouldStartWith("context.serverlessChaos.parameterPrefix must be an SSM path");
        ErrorOf("""{ "haltParameter": "/serverless-chaos/functions/halt" }""").ShouldStartWith("context.serverlessChaos.haltParameter must not be under parameterPrefix");
        ErrorOf("""[1]""").ShouldBe("context.serverlessChaos must be a JSON object (was array)");
        ErrorOf("""{ "sampleTarget": { "desiredCount": 11 } }""").ShouldBe("context.serverlessChaos.sampleTarget.desiredCount must be between 0 and 10 (was 11)");
    }

    [Fact]
    public void Numbers_given_as_text_on_the_command_line_are_accepted()
    {
        Read("""{ "logRetentionDays": "90", "sampleTarget": { "enabled": "false" } }""").ShouldSatisfyAllConditions(
            s => s.LogRetentionDays.ShouldBe(90),
            s => s.SampleTarget.Enabled.ShouldBeFalse());
    }
}
