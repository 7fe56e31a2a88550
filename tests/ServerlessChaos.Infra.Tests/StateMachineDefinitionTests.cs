using ServerlessChaos.Infra.ControlPlane;
using ServerlessChaos.Infra.Settings;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

public sealed class StateMachineDefinitionTests
{
    private const string Definition = """
        { "StartAt": "A", "States": {
          "A": { "Type": "Task", "Resource": "${ValidateFunctionArn}", "TimeoutSeconds": 30, "Next": "P" },
          "P": { "Type": "Parallel", "Branches": [ { "StartAt": "B", "States": {
              "B": { "Type": "Task", "Resource": "${ValidateFunctionArn}", "TimeoutSeconds": 300, "End": true } } } ], "Next": "Q" },
          "Q": { "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "Parameters": { "QueueUrl": "${DeadLetterQueueUrl}" }, "End": true } } }
        """;

    [Fact]
    public void Placeholders_are_found_once_each_in_order()
    {
        StateMachineDefinition.Placeholders(Definition).ShouldBe(["ValidateFunctionArn", "DeadLetterQueueUrl"]);
    }

    [Fact]
    public void An_unsubstituted_placeholder_fails_with_its_name()
    {
        var error = Should.Throw<InfraSettingsException>(() => StateMachineDefinition.CheckSubstituted(
            Definition, new Dictionary<string, string> { ["ValidateFunctionArn"] = "arn" }));

        error.Message.ShouldStartWith("infra/statemachine/experiment.asl.json uses ${DeadLetterQueueUrl}, which the CDK app does not substitute");
    }

    [Fact]
    public void Task_timeouts_take_the_longest_task_per_function_including_parallel_branches()
    {
        StateMachineDefinition.TaskTimeouts(Definition).ShouldBe(new Dictionary<string, int> { ["ValidateFunctionArn"] = 300 });
        StateMachineDefinition.Integrates(Definition, "sqs:sendMessage").ShouldBeTrue();
    }

    [Fact]
    public void The_repository_definition_loads_and_uses_only_placeholders_the_app_substitutes()
    {
        var definition = StateMachineDefinition.Load(Repository.Root);
        var known = ControlSteps.All.Select(s => s.Placeholder).Concat(["DeadLetterQueueUrl", "DeadLetterQueueArn", "HaltParameterName", "ParameterPrefix", "LedgerPrefix"]);

        StateMachineDefinition.Placeholders(definition).ShouldAllBe(p => known.Contains(p) || p.EndsWith("FunctionArn"));
    }

    [Fact]
    public void A_missing_definition_file_is_a_clear_error()
    {
        var root = Directory.CreateTempSubdirectory("no-asl-").FullName;
        try
        {
            Should.Throw<InfraSettingsException>(() => StateMachineDefinition.Load(root)).Message
                .ShouldBe("infra/statemachine/experiment.asl.json does not exist: the state machine definition is deployed from that file");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
