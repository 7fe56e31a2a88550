using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Amazon.CDK.Assertions;
using Match = Amazon.CDK.Assertions.Match;
using ServerlessChaos.Infra.ControlPlane;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed partial class ControlPlaneTests(SynthesizedApp app)
{
    private static readonly string[] Handlers =
        ["validate", "preflight", "arm", "start", "observe", "rollback", "verify", "report", "deadletter", "cleanup"];

    private JsonObject StateMachine => app.ControlPlane.OfType("AWS::StepFunctions::StateMachine").Single().Properties;

    [Fact]
    public void Every_control_step_is_a_provided_al2023_function_running_the_shared_bootstrap_with_its_handler_name()
    {
        var functions = app.ControlPlane.OfType("AWS::Lambda::Function").Select(f => f.Properties).ToList();

        functions.Select(f => f["Handler"]!.GetValue<string>()).Order().ShouldBe(Handlers.Order());
        functions.ShouldAllBe(f => f["Runtime"]!.GetValue<string>() == "provided.al2023");
        functions.ShouldAllBe(f => f["Architectures"]![0]!.GetValue<string>() == "x86_64");
        functions.ShouldAllBe(f => f["FunctionName"]!.GetValue<string>() == "serverless-chaos-" + f["Handler"]!.GetValue<string>());
        functions.Select(f => f["Code"]!["S3Key"]!.ToJsonString()).Distinct().Count().ShouldBe(1, "one bootstrap asset for every step");
    }

    [Fact]
    public void Control_functions_get_the_contract_environment_variables()
    {
        app.ControlPlane.Template.AllResourcesProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["Environment"] = new Dictionary<string, object>
            {
                ["Variables"] = Match.ObjectEquals(new Dictionary<string, object>
                {
                    ["SERVERLESS_CHAOS_DLQ_URL"] = new Dictionary<string, object> { ["Ref"] = DeadLetterQueueId },
                    ["SERVERLESS_CHAOS_HALT_PARAMETER"] = "/serverless-chaos/halt",
                    ["SERVERLESS_CHAOS_PARAMETER_PREFIX"] = "/serverless-chaos/functions/",
                    ["SERVERLESS_CHAOS_LEDGER_PREFIX"] = "/serverless-chaos/ledger/",
                    ["SERVERLESS_CHAOS_BACKEND"] = "aws",
                }),
            },
            ["MemorySize"] = 512,
        });
    }

    [Fact]
    public void A_function_never_times_out_before_the_task_that_calls_it()
    {
        var timeouts = StateMachineDefinition.TaskTimeouts(StateMachineDefinition.Load(Repository.Root));
        var functions = app.ControlPlane.OfType("AWS::Lambda::Function").ToDictionary(f => f.Properties["Handler"]!.GetValue<string>(), f => f.Properties);

        timeouts.ShouldNotBeEmpty();
        foreach (var step in ControlSteps.All)
        {
            var timeout = functions[step.Handler]["Timeout"]!.GetValue<int>();
            timeout.ShouldBeGreaterThanOrEqualTo(Math.Min(900, timeouts.GetValueOrDefault(step.Placeholder)), step.Handler);
            timeout.ShouldBeGreaterThanOrEqualTo(60, step.Handler);
        }
    }

    [Fact]
    public void Control_function_logs_are_kept_for_the_configured_retention()
    {
        var groups = app.ControlPlane.OfType("AWS::Logs::LogGroup").ToDictionary(g => g.LogicalId, g => g.Properties);
        foreach (var (_, function) in app.ControlPlane.OfType("AWS::Lambda::Function"))
        {
            var group = groups[function["LoggingConfig"]!["LogGroup"]!["Ref"]!.GetValue<string>()];
            group["RetentionInDays"]!.GetValue<int>().ShouldBe(30);
            group["LogGroupName"]!.GetValue<string>().ShouldBe("/aws/lambda/" + function["FunctionName"]);
        }
    }

    [Fact]
    public void The_state_machine_is_the_repository_ASL_file_with_every_placeholder_substituted()
    {
        var asl = File.ReadAllText(Path.Combine(Repository.Root, StateMachineDefinition.RelativePath));
        StateMachine["DefinitionString"]!.GetValue<string>().ShouldBe(asl);

        var substitutions = StateMachine["DefinitionSubstitutions"]!.AsObject();
        var placeholders = Placeholder().Matches(asl).Select(m => m.Groups[1].Value).Distinct().ToList();
        placeholders.ShouldNotBeEmpty();
        placeholders.ShouldAllBe(p => substitutions.ContainsKey(p));

        // Each ${XFunctionArn} is the ARN of the function whose handler is x.
        var handlers = app.ControlPlane.OfType("AWS::Lambda::Function").ToDictionary(f => f.LogicalId, f => f.Properties["Handler"]!.GetValue<string>());
        foreach (var placeholder in placeholders.Where(p => p.EndsWith("FunctionArn", StringComparison.Ordinal)))
        {
            var target = substitutions[placeholder]!["Fn::GetAtt"]!.AsArray();
            handlers[target[0]!.GetValue<string>()].ShouldBe(placeholder[..^"FunctionArn".Length].ToLowerInvariant());
        }
    }

    [Fact]
    public void Every_Task_in_the_deployed_definition_has_a_Catch()
    {
        var definition = JsonNode.Parse(StateMachine["DefinitionString"]!.GetValue<string>())!;
        var tasks = new List<(string Name, JsonObject State)>();
        void Collect(JsonObject states)
        {
            foreach (var (name, state) in states)
            {
                if (state!["Type"]!.GetValue<string>() == "Task")
                {
                    tasks.Add((name, state.AsObject()));
                }

                foreach (var branch in state["Branches"]?.AsArray() ?? [])
                {
                    Collect(branch!["States"]!.AsObject());
                }

                if ((state["ItemProcessor"] ?? state["Iterator"])?["States"] is JsonObject inner)
                {
                    Collect(inner);
                }
            }
        }

        Collect(definition["States"]!.AsObject());

        tasks.ShouldNotBeEmpty();
        foreach (var (name, state) in tasks)
        {
            (state["Catch"] as JsonArray ?? []).Count.ShouldBeGreaterThan(0, $"Task {name} has no Catch");
        }
    }

    [Fact]
    public void The_state_machine_logs_everything_to_a_retained_log_group_and_may_invoke_only_the_functions_it_names()
    {
        app.ControlPlane.Template.HasResourceProperties("AWS::StepFunctions::StateMachine", new Dictionary<string, object>
        {
            ["StateMachineName"] = "serverless-chaos-experiment",
            ["LoggingConfiguration"] = new Dictionary<string, object>
            {
                ["Level"] = "ALL",
                ["IncludeExecutionData"] = true,
                ["Destinations"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
                {
                    ["CloudWatchLogsLogGroup"] = Match.AnyValue(),
                })]),
            },
        });
        app.ControlPlane.Template.HasResourceProperties("AWS::Logs::LogGroup", new Dictionary<string, object>
        {
            ["LogGroupName"] = "/aws/vendedlogs/states/serverless-chaos-experiment",
            ["RetentionInDays"] = 30,
        });

        var asl = StateMachine["DefinitionString"]!.GetValue<string>();
        var invoke = app.ControlPlane.Statements().Where(s => s.Actions.Contains("lambda:InvokeFunction")).SelectMany(s => s.Resources).ToList();
        foreach (var (logicalId, function) in app.ControlPlane.OfType("AWS::Lambda::Function"))
        {
            var step = ControlSteps.All.Single(s => s.Handler == function["Handler"]!.GetValue<string>());
            if (asl.Contains("${" + step.Placeholder + "}", StringComparison.Ordinal))
            {
                invoke.ShouldContain("${" + logicalId + ".Arn}");
            }
            else
            {
                invoke.ShouldNotContain("${" + logicalId + ".Arn}", $"the definition never calls {step.Handler}");
            }
        }
    }

    [Fact]
    public void The_dead_letter_queue_is_encrypted_kept_14_days_and_alarms_on_the_first_message()
    {
        app.ControlPlane.Template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "serverless-chaos-dead-letters",
            ["SqsManagedSseEnabled"] = true,
            ["MessageRetentionPeriod"] = 14 * 24 * 3600,
        });
        app.ControlPlane.Template.HasResourceProperties("AWS::CloudWatch::Alarm", new Dictionary<string, object>
        {
            ["MetricName"] = "ApproximateNumberOfMessagesVisible",
            ["Namespace"] = "AWS/SQS",
            ["Threshold"] = 1,
            ["ComparisonOperator"] = "GreaterThanOrEqualToThreshold",
            ["Dimensions"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object>
            {
                ["Value"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { DeadLetterQueueId, "QueueName" } },
            })]),
        });
    }

    [Fact]
    public void The_halt_parameter_exists_and_starts_not_halted()
    {
        app.ControlPlane.Template.HasResourceProperties("AWS::SSM::Parameter", new Dictionary<string, object>
        {
            ["Name"] = "/serverless-chaos/halt",
            ["Value"] = "false",
        });
    }

    [Fact]
    public void Stopped_timed_out_and_failed_executions_run_the_cleanup_function_with_retries_and_the_DLQ()
    {
        var cleanup = app.ControlPlane.OfType("AWS::Lambda::Function").Single(f => f.Properties["Handler"]!.ToString() == "cleanup").LogicalId;
        var machine = app.ControlPlane.OfType("AWS::StepFunctions::StateMachine").Single().LogicalId;
        app.ControlPlane.Template.HasResourceProperties("AWS::Events::Rule", new Dictionary<string, object>
        {
            ["EventPattern"] = new Dictionary<string, object>
            {
                ["source"] = new[] { "aws.states" },
                ["detail-type"] = new[] { "Step Functions Execution Status Change" },
                ["detail"] = new Dictionary<string, object>
                {
                    ["status"] = new[] { "ABORTED", "TIMED_OUT", "FAILED" },
                    ["stateMachineArn"] = new[] { new Dictionary<string, object> { ["Ref"] = machine } },
                },
            },
            ["Targets"] = new[]
            {
                Match.ObjectLike(new Dictionary<string, object>
                {
                    ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { cleanup, "Arn" } },
                    ["DeadLetterConfig"] = new Dictionary<string, object>
                    {
                        ["Arn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new[] { DeadLetterQueueId, "Arn" } },
                    },
                    ["RetryPolicy"] = Match.ObjectLike(new Dictionary<string, object> { ["MaximumRetryAttempts"] = 4 }),
                }),
            },
        });
    }

    [Fact]
    public void The_placeholder_bootstrap_leaves_a_rule_that_stops_a_deploy()
    {
        var rule = app.ControlPlane.Root["Rules"]!["PlaceholderBootstrapCannotBeDeployed"]!["Assertions"]![0]!;
        rule["Assert"]!["Fn::Equals"]!.AsArray().Select(v => v!.GetValue<string>()).Distinct().Count().ShouldBe(2, "an assertion that can never hold");
        rule["AssertDescription"]!.GetValue<string>().ShouldContain("placeholder bootstrap");
        app.Sample.Root["Rules"]!["PlaceholderBootstrapCannotBeDeployed"].ShouldNotBeNull();
    }

    private string DeadLetterQueueId => app.ControlPlane.OfType("AWS::SQS::Queue").Single().LogicalId;

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
