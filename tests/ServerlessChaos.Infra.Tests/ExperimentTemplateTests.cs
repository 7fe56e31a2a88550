using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using ServerlessChaos.Infra.Fis;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed class ExperimentTemplateTests(SynthesizedApp app)
{
    private IEnumerable<JsonObject> Templates => app.All.SelectMany(t => t.OfType("AWS::FIS::ExperimentTemplate")).Select(t => t.Properties);

    [Fact]
    public void Every_template_is_tagged_as_managed_and_by_name()
    {
        Templates.Count().ShouldBe(8, "7 from the settings, 1 of the sample target");
        foreach (var template in Templates)
        {
            template["Tags"]!["serverless-chaos:managed"]!.GetValue<string>().ShouldBe("true");
            template["Tags"]!["serverless-chaos:template"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        }
    }

    [Fact]
    public void Targets_are_chosen_by_tags_with_a_bounded_selection()
    {
        foreach (var template in Templates)
        {
            foreach (var (_, target) in template["Targets"]!.AsObject())
            {
                target!["ResourceTags"]!.AsObject().Count.ShouldBeGreaterThan(0);
                target["SelectionMode"]!.GetValue<string>().ShouldMatch(@"^(COUNT|PERCENT)\(\d+\)$");
                target["ResourceArns"].ShouldBeNull();
            }
        }
    }

    [Fact]
    public void Experiments_stop_on_the_hypothesis_alarms_and_log_to_CloudWatch_Logs()
    {
        foreach (var template in Templates)
        {
            var stops = template["StopConditions"]!.AsArray();
            stops.Count.ShouldBeGreaterThan(0);
            stops.ShouldAllBe(s => s!["Source"]!.GetValue<string>() == "aws:cloudwatch:alarm");
            template["LogConfiguration"]!["CloudWatchLogsConfiguration"]!["LogGroupArn"].ShouldNotBeNull();
            template["LogConfiguration"]!["LogSchemaVersion"]!.GetValue<int>().ShouldBe(2);
        }

        var orders = app.ControlPlane.OfType("AWS::FIS::ExperimentTemplate").Single(t => t.Properties["Tags"]!["serverless-chaos:template"]!.ToString() == "orders-cpu");
        orders.Properties["StopConditions"]!.AsArray().Select(s => TemplateJson.Render(s!["Value"]))
            .ShouldBe(["arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:orders-p99-latency",
                "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:orders-5xx-rate"]);
    }

    [Fact]
    public void Actions_carry_their_id_parameters_duration_and_target()
    {
        var capture = new Capture();
        app.ControlPlane.Template.HasResourceProperties("AWS::FIS::ExperimentTemplate", new Dictionary<string, object>
        {
            ["Targets"] = new Dictionary<string, object>
            {
                ["targets"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["ResourceType"] = "aws:lambda:function",
                    ["ResourceTags"] = new Dictionary<string, object> { ["team"] = "checkout" },
                    ["SelectionMode"] = "COUNT(1)",
                }),
            },
            ["Actions"] = capture,
        });

        var action = ((JsonObject)ContextJsonOf(capture.AsObject()))["invocation-http-integration-response"]!;
        action["ActionId"]!.GetValue<string>().ShouldBe("aws:lambda:invocation-http-integration-response");
        action["Parameters"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
            .ShouldBe(new Dictionary<string, string>
            {
                ["statusCode"] = "503", ["contentTypeHeader"] = "application/json", ["preventExecution"] = "true", ["invocationPercentage"] = "20", ["duration"] = "PT5M",
            }, ignoreOrder: true);
        action["Targets"]!["Functions"]!.GetValue<string>().ShouldBe("targets");

        var stop = app.ControlPlane.OfType("AWS::FIS::ExperimentTemplate").Single(t => t.Properties["Tags"]!["serverless-chaos:template"]!.ToString() == "orders-stop-task");
        var stopAction = stop.Properties["Actions"]!["stop-task"]!;
        stopAction["ActionId"]!.GetValue<string>().ShouldBe("aws:ecs:stop-task");
        stopAction["Targets"]!["Tasks"]!.GetValue<string>().ShouldBe("targets");
        (stopAction["Parameters"] as JsonObject ?? []).ContainsKey("duration").ShouldBeFalse("stop-task takes no duration");
    }

    [Fact]
    public void The_FIS_role_holds_only_what_the_used_actions_need()
    {
        var fisRole = app.ControlPlane.OfType("AWS::IAM::Role")
            .Single(r => r.Properties["AssumeRolePolicyDocument"]!.ToJsonString().Contains("fis.amazonaws.com")).LogicalId;
        var actions = app.ControlPlane.OfType("AWS::IAM::Policy")
            .Where(p => p.Properties["Roles"]!.AsArray().Any(r => r!["Ref"]!.ToString() == fisRole))
            .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray())
            .SelectMany(s => TemplateJson.ListOf(s!["Action"]).Select(a => a!.ToString()))
            .ToHashSet();

        actions.ShouldContain("ecs:StopTask");
        actions.ShouldContain("ssm:SendCommand");
        actions.ShouldContain("s3:PutObject");
        actions.ShouldContain("logs:CreateLogDelivery");
        actions.ShouldNotContain("ec2:TerminateInstances");
        actions.ShouldAllBe(a => a.StartsWith("ecs:") || a.StartsWith("ssm:") || a.StartsWith("s3:") || a.StartsWith("logs:")
            || a.StartsWith("tag:") || a.StartsWith("lambda:") || a.StartsWith("ec2:Describe"));

        // The sample's only template stops tasks: its FIS role can neither run SSM documents nor touch S3.
        var sampleFis = app.Sample.Statements().SelectMany(s => s.Actions).ToHashSet();
        sampleFis.ShouldContain("ecs:StopTask");
        sampleFis.ShouldNotContain("ssm:SendCommand");
        sampleFis.ShouldNotContain("s3:PutObject");
    }

    [Fact]
    public void A_function_prepared_for_the_Lambda_actions_gets_the_extension_and_reads_only_the_FIS_configuration()
    {
        var payments = app.Examples.OfType("AWS::Lambda::Function").Single(f => f.Properties["FunctionName"]?.ToString() == "payments-api").Properties;
        var variables = payments["Environment"]!["Variables"]!;

        payments["Layers"]!.AsArray().Select(TemplateJson.Render).ShouldContain(SynthesizedApp.LayerArn);
        variables["AWS_LAMBDA_EXEC_WRAPPER"]!.GetValue<string>().ShouldBe("/opt/aws-fis/bootstrap");
        TemplateJson.Render(variables["AWS_FIS_CONFIGURATION_LOCATION"]).ShouldEndWith("/FisConfigs/");

        var s3 = app.Examples.Statements().Where(s => s.Actions.Any(a => a.StartsWith("s3:"))).ToList();
        s3.SelectMany(s => s.Actions).Order().ShouldBe(["s3:GetObject", "s3:ListBucket"]);
        s3.Single(s => s.Actions.Contains("s3:GetObject")).Resources.ShouldAllBe(r => r.EndsWith("/FisConfigs/*"));
        (s3.Single(s => s.Actions.Contains("s3:ListBucket")).Condition?["StringLike"]?["s3:prefix"]?.ToString()).ShouldBe("FisConfigs/*");
    }

    [Fact]
    public void The_FIS_role_has_what_the_FIS_actions_reference_lists_for_each_used_action()
    {
        var statements = FisRoleStatements(app.ControlPlane);
        IEnumerable<string> ResourcesOf(string action) => statements.Where(s => s.Actions.Contains(action)).SelectMany(s => s.Resources);

        // aws:ecs:task-network-latency and -packet-loss (FIS actions reference) look up where the task runs.
        foreach (var action in new[] { "ecs:DescribeContainerInstances", "ec2:DescribeInstances", "ec2:DescribeSubnets", "ssm:ListCommands", "ssm:CancelCommand" })
        {
            ResourcesOf(action).ShouldNotBeEmpty(action);
        }

        // The FIS Lambda actions page grants lambda:GetFunction on "*" (a function/* ARN never matches function:name).
        ResourcesOf("lambda:GetFunction").ShouldBe(["*"]);
        ResourcesOf("ecs:ListTasks").ShouldBe(["*"], "Fargate tasks have no container instance to scope to");
        ResourcesOf("ssm:SendCommand").ShouldBe(
            ["arn:${AWS::Partition}:ssm:${AWS::Region}:*:document/AWSFIS-Run-*", "arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:managed-instance/*"],
            ignoreOrder: true);
        ResourcesOf("ecs:StopTask").ShouldBe(["arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task/*"]);

        // Every permission of the table, for every action the templates use, is in the role.
        foreach (var permission in FisActions.All.SelectMany(a => a.Permissions))
        {
            statements.ShouldContain(s => s.Json["Sid"]!.ToString() == permission.Sid && permission.Actions.All(a => s.Actions.Contains(a)), permission.Sid);
        }
    }

    [Fact]
    public void The_README_lists_each_FIS_action_from_the_same_table()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");

        var table = FisActions.MarkdownTable();

        readme.ShouldContain(table, customMessage: "README.md's deploy section must hold this table (FisActions.MarkdownTable()) as it is:\n" + table);
    }

    private static List<IamStatement> FisRoleStatements(TemplateJson template)
    {
        var fisRole = template.OfType("AWS::IAM::Role")
            .Single(r => r.Properties["AssumeRolePolicyDocument"]!.ToJsonString().Contains("fis.amazonaws.com")).LogicalId;
        return template.OfType("AWS::IAM::Policy")
            .Where(p => p.Properties["Roles"]!.AsArray().Any(r => r!["Ref"]!.ToString() == fisRole))
            .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => new IamStatement(s!.AsObject()))
            .ToList();
    }

    private static JsonNode ContextJsonOf(object value) => Infra.Settings.ContextJson.ToJsonNode(value)!;
}
