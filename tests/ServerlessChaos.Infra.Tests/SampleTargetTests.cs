using Amazon.CDK.Assertions;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed class SampleTargetTests(SynthesizedApp app)
{
    [Fact]
    public void The_sample_API_is_a_REST_API_in_front_of_the_wrapper_decorated_bootstrap_function()
    {
        var function = app.Sample.OfType("AWS::Lambda::Function").Single().Properties;

        function["Handler"]!.GetValue<string>().ShouldBe("sample-api");
        function["Runtime"]!.GetValue<string>().ShouldBe("provided.al2023");
        var variables = function["Environment"]!["Variables"]!.AsObject();
        variables["SERVERLESS_CHAOS_PARAMETER"]!.GetValue<string>().ShouldBe("/serverless-chaos/functions/serverless-chaos-sample-api");
        // Exactly what the bootstrap's sample-api handler reads: the wrapper's opt-in and halt parameter; no
        // SAMPLE_INVENTORY_URL, so the deployed sample answers from its built-in inventory.
        variables.Select(v => v.Key).ShouldBe(["SERVERLESS_CHAOS_PARAMETER", "SERVERLESS_CHAOS_HALT_PARAMETER"], ignoreOrder: true);
        function["Layers"].ShouldBeNull();
        app.Sample.OfType("AWS::ApiGateway::RestApi").Single().Properties["Name"]!.GetValue<string>().ShouldBe("serverless-chaos-sample-api");
        app.Sample.Template.ResourceCountIs("AWS::ApiGateway::Account", 0);
    }

    [Fact]
    public void The_sample_ECS_service_runs_on_Fargate_with_task_pid_mode_and_tagged_tasks()
    {
        app.Sample.Template.HasResourceProperties("AWS::ECS::TaskDefinition", new Dictionary<string, object>
        {
            ["PidMode"] = "task",
            ["RequiresCompatibilities"] = new[] { "FARGATE" },
            ["ContainerDefinitions"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Image"] = "public.ecr.aws/nginx/nginx:stable" })]),
        });
        app.Sample.Template.HasResourceProperties("AWS::ECS::Service", new Dictionary<string, object>
        {
            ["LaunchType"] = "FARGATE",
            ["PropagateTags"] = "SERVICE",
            ["Tags"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Key"] = "serverless-chaos:target", ["Value"] = "sample-ecs" })]),
        });
        app.Sample.Template.ResourceCountIs("AWS::EC2::NatGateway", 0);
    }

    [Fact]
    public void The_sample_has_the_steady_state_alarms_its_templates_stop_on()
    {
        var alarms = app.Sample.OfType("AWS::CloudWatch::Alarm").ToDictionary(a => a.Properties["AlarmName"]!.GetValue<string>(), a => a.Properties);

        alarms.Keys.ShouldBe([
            "serverless-chaos-sample-api-5xx", "serverless-chaos-sample-api-latency", "serverless-chaos-sample-api-errors",
            "serverless-chaos-sample-api-throttles", "serverless-chaos-sample-ecs-running-tasks"], ignoreOrder: true);
        alarms["serverless-chaos-sample-api-5xx"]["MetricName"]!.GetValue<string>().ShouldBe("5XXError");
        alarms["serverless-chaos-sample-api-latency"]["ExtendedStatistic"]!.GetValue<string>().ShouldBe("p99");
        alarms["serverless-chaos-sample-api-throttles"]["MetricName"]!.GetValue<string>().ShouldBe("Throttles");
        alarms["serverless-chaos-sample-ecs-running-tasks"]["MetricName"]!.GetValue<string>().ShouldBe("RunningTaskCount");
        alarms["serverless-chaos-sample-ecs-running-tasks"]["TreatMissingData"]!.GetValue<string>().ShouldBe("breaching");
        alarms["serverless-chaos-sample-api-errors"]["TreatMissingData"]!.GetValue<string>().ShouldBe("notBreaching");

        var alarmIds = app.Sample.OfType("AWS::CloudWatch::Alarm").Select(a => "${" + a.LogicalId + ".Arn}").ToHashSet();
        foreach (var (_, template) in app.Sample.OfType("AWS::FIS::ExperimentTemplate"))
        {
            template["StopConditions"]!.AsArray().ShouldAllBe(s => alarmIds.Contains(TemplateJson.Render(s!["Value"])));
        }
    }
}
