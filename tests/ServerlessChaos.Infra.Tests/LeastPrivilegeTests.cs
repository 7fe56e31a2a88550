using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed class LeastPrivilegeTests(SynthesizedApp app)
{
    // The SSM actions of the FIS role run FIS-owned documents on task sidecars; they never touch parameters.
    private static readonly string[] SsmRunCommandActions = ["ssm:SendCommand", "ssm:ListCommands", "ssm:CancelCommand"];

    private IEnumerable<IamStatement> Statements => app.All.SelectMany(t => t.Statements());

    [Fact]
    public void No_policy_allows_every_action_of_anything()
    {
        Statements.ShouldNotBeEmpty();
        foreach (var statement in Statements)
        {
            statement.Actions.ShouldAllBe(a => a != "*" && !a.EndsWith(":*"), statement.ToString());
            statement.Json["NotAction"].ShouldBeNull(statement.ToString());
        }
    }

    [Fact]
    public void Parameter_access_is_limited_to_the_wrapper_prefix_the_ledger_prefix_and_the_halt_parameter()
    {
        string[] allowed =
        [
            ":parameter/serverless-chaos/functions", ":parameter/serverless-chaos/functions/*",
            ":parameter/serverless-chaos/ledger", ":parameter/serverless-chaos/ledger/*",
            ":parameter/serverless-chaos/halt",
        ];
        var parameterStatements = Statements.Where(s => s.Actions.Any(a => a.StartsWith("ssm:") && !SsmRunCommandActions.Contains(a))).ToList();

        parameterStatements.ShouldNotBeEmpty();
        foreach (var statement in parameterStatements)
        {
            statement.Resources.ShouldAllBe(r => allowed.Any(suffix => r.EndsWith(suffix))
                || r.EndsWith(":parameter/serverless-chaos/functions/orders-api")
                || r.EndsWith(":parameter/serverless-chaos/functions/serverless-chaos-sample-api")
                || r.EndsWith(":parameter/serverless-chaos/functions/generated"), statement.ToString());
        }
    }

    [Fact]
    public void Writes_to_parameters_go_only_under_the_wrapper_and_ledger_prefixes()
    {
        var writes = Statements.Where(s => s.Actions.Any(a => a is "ssm:PutParameter" or "ssm:DeleteParameter")).ToList();

        writes.ShouldNotBeEmpty();
        writes.SelectMany(s => s.Resources).ShouldAllBe(r =>
            r.EndsWith(":parameter/serverless-chaos/functions/*") || r.EndsWith(":parameter/serverless-chaos/ledger/*"));
    }

    [Fact]
    public void A_chaos_target_reads_only_its_own_parameter_and_the_halt_parameter()
    {
        var statement = app.Examples.Statements().Single(s => s.Json["Sid"]?.ToString() == "ReadChaosSettings"
            && s.Resources.Any(r => r.EndsWith("/orders-api")));

        statement.Actions.Order().ShouldBe(["ssm:GetParameter", "ssm:GetParameters"]);
        statement.Resources.Count.ShouldBe(2);
        statement.Resources.ShouldContain(r => r.EndsWith(":parameter/serverless-chaos/functions/orders-api"));
        statement.Resources.ShouldContain(r => r.EndsWith(":parameter/serverless-chaos/halt"));
    }

    [Fact]
    public void StartExperiment_is_limited_to_templates_tagged_as_managed_by_the_project()
    {
        var starts = Statements.Where(s => s.Actions.Contains("fis:StartExperiment")).ToList();

        starts.ShouldNotBeEmpty();
        foreach (var statement in starts)
        {
            foreach (var resource in statement.Resources)
            {
                if (resource.EndsWith(":experiment-template/*"))
                {
                    (statement.Condition?["StringEquals"]?["aws:ResourceTag/serverless-chaos:managed"]?.ToString()).ShouldBe("true", statement.ToString());
                }
                else
                {
                    resource.ShouldEndWith(":experiment/*", customMessage: statement.ToString());
                }
            }
        }

        starts.SelectMany(s => s.Resources).ShouldContain(r => r.EndsWith(":experiment-template/*"));
        // Only the start step may start experiments.
        app.ControlPlane.Statements().Where(s => s.Actions.Contains("fis:StartExperiment")).Count().ShouldBe(2);
    }

    [Fact]
    public void StopExperiment_is_limited_to_experiments_tagged_as_managed()
    {
        var stops = app.ControlPlane.Statements().Where(s => s.Actions.Contains("fis:StopExperiment")).ToList();

        stops.Count.ShouldBe(2, "rollback and cleanup");
        foreach (var statement in stops)
        {
            statement.Resources.ShouldAllBe(r => r.EndsWith(":experiment/*"));
            (statement.Condition?["StringEquals"]?["aws:ResourceTag/serverless-chaos:managed"]?.ToString()).ShouldBe("true", statement.ToString());
        }
    }

    [Fact]
    public void SendMessage_goes_only_to_the_dead_letter_queue()
    {
        var queue = "${" + app.ControlPlane.OfType("AWS::SQS::Queue").Single().LogicalId + ".Arn}";
        var sends = Statements.Where(s => s.Actions.Any(a => a.StartsWith("sqs:Send"))).ToList();

        sends.ShouldNotBeEmpty();
        sends.SelectMany(s => s.Resources).ShouldAllBe(r => r == queue);
    }

    [Fact]
    public void Each_control_function_has_only_the_access_of_its_step()
    {
        var roles = app.ControlPlane.OfType("AWS::Lambda::Function")
            .ToDictionary(f => f.Properties["Handler"]!.GetValue<string>(), f => f.Properties["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        var policies = app.ControlPlane.OfType("AWS::IAM::Policy").ToList();
        List<IamStatement> StatementsOf(string handler) => policies
            .Where(p => p.Properties["Roles"]!.AsArray().Any(r => r!["Ref"]!.GetValue<string>() == roles[handler]))
            .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => new IamStatement(s!.AsObject()))
            .ToList();
        IReadOnlyList<string> ActionsOf(string handler) => StatementsOf(handler).SelectMany(s => s.Actions).Distinct().ToList();
        IEnumerable<string> WritesOf(string handler) => StatementsOf(handler)
            .Where(s => s.Actions.Contains("ssm:PutParameter")).SelectMany(s => s.Resources);

        ActionsOf("validate").ShouldNotContain("ssm:PutParameter");
        ActionsOf("deadletter").ShouldContain("sqs:SendMessage");
        ActionsOf("arm").ShouldNotContain("sqs:SendMessage");
        ActionsOf("arm").ShouldNotContain("fis:StartExperiment");
        ActionsOf("start").ShouldContain("fis:StartExperiment");
        WritesOf("arm").ShouldContain(r => r.EndsWith(":parameter/serverless-chaos/functions/*"));
        WritesOf("start").ShouldAllBe(r => r.EndsWith(":parameter/serverless-chaos/ledger/*"), "start records experiments in the ledger, never arms");
        WritesOf("observe").ShouldBeEmpty();
        ActionsOf("rollback").ShouldContain("fis:StopExperiment");
        ActionsOf("observe").ShouldBe(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "cloudwatch:DescribeAlarms",
            "fis:GetExperiment", "fis:GetExperimentTemplate", "fis:ListExperimentTemplates", "fis:ListExperiments", "logs:CreateLogStream", "logs:PutLogEvents"],
            ignoreOrder: true);
        ActionsOf("cleanup").ShouldContain("states:DescribeExecution");
    }

    [Fact]
    public void Control_functions_write_logs_only_to_their_own_log_group_and_have_no_managed_policies()
    {
        var groups = app.ControlPlane.OfType("AWS::Logs::LogGroup").ToDictionary(g => g.LogicalId, g => g.Properties);
        var roles = app.ControlPlane.OfType("AWS::IAM::Role").ToDictionary(r => r.LogicalId, r => r.Properties);
        var policies = app.ControlPlane.OfType("AWS::IAM::Policy").ToList();
        foreach (var (_, function) in app.ControlPlane.OfType("AWS::Lambda::Function"))
        {
            var role = function["Role"]!["Fn::GetAtt"]![0]!.GetValue<string>();
            var group = function["LoggingConfig"]!["LogGroup"]!["Ref"]!.GetValue<string>();
            roles[role]["ManagedPolicyArns"].ShouldBeNull();
            var logResources = policies.Where(p => p.Properties["Roles"]!.AsArray().Any(r => r!["Ref"]!.ToString() == role))
                .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray())
                .Select(s => new IamStatement(s!.AsObject()))
                .Where(s => s.Actions.Any(a => a.StartsWith("logs:")))
                .SelectMany(s => s.Resources)
                .ToList();
            logResources.ShouldBe(["${" + group + ".Arn}"], groups[group]["LogGroupName"]!.ToString());
        }
    }

    [Fact]
    public void Roles_are_assumed_only_by_their_own_services()
    {
        foreach (var (_, role) in app.All.SelectMany(t => t.OfType("AWS::IAM::Role")))
        {
            var principals = role["AssumeRolePolicyDocument"]!["Statement"]!.AsArray()
                .Select(s => s!["Principal"]!["Service"]!.ToString()).ToList();
            principals.ShouldAllBe(p => p == "lambda.amazonaws.com" || p == "states.amazonaws.com" || p == "fis.amazonaws.com"
                || p == "scheduler.amazonaws.com" || p == "ecs-tasks.amazonaws.com");
        }
    }
}
