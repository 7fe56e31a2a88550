using System.Text.Json.Nodes;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

/// <summary>
/// Every action of every synthesized policy exists, and each resource has the ARN format of one of that action's
/// resource types (colon against slash), or is "*" — the only thing an action with no resource type takes.
/// </summary>
[Collection(CdkCliSynthCollection.Name)]
public sealed class IamReferenceTests(CdkCliSynth synth)
{
    private readonly IamReference reference = IamReference.Load();

    [Fact]
    public void Every_policy_of_both_synthesized_apps_matches_the_Service_Authorization_Reference()
    {
        var checkedStatements = 0;
        var problems = new List<string>();
        foreach (var template in synth.Variants.SelectMany(v => v.Templates))
        {
            foreach (var statement in template.Statements())
            {
                checkedStatements++;
                problems.AddRange(reference.Problems(statement, template).Select(p => $"{template.Name}: {statement.Json["Sid"]}: {p}"));
            }
        }

        checkedStatements.ShouldBeGreaterThan(40);
        problems.ShouldBeEmpty(string.Join("\n", problems));
    }

    [Theory]
    // The four defects of the first deploy: Lambda function ARNs take a colon, and the list actions have no resource type.
    [InlineData("lambda:GetFunction", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function/*", "has none of those formats")]
    [InlineData("fis:ListExperimentTemplates", "arn:${AWS::Partition}:fis:${AWS::Region}:${AWS::AccountId}:experiment-template/*", "has no resource type")]
    [InlineData("ecs:StopTask", "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:task:*", "has none of those formats")]
    [InlineData("ssm:SendCommand", "arn:${AWS::Partition}:ssm:${AWS::Region}::document:AWSFIS-Run-*", "has none of those formats")]
    [InlineData("lambda:GetFunctions", "*", "is not an action")]
    public void The_check_finds_what_AWS_would_refuse(string action, string resource, string problem)
    {
        var statement = new IamStatement(new JsonObject { ["Effect"] = "Allow", ["Action"] = action, ["Resource"] = resource });

        reference.Problems(statement).ShouldHaveSingleItem().ShouldContain(problem);
    }

    [Theory]
    [InlineData("lambda:GetFunction", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:orders-*")]
    [InlineData("lambda:GetFunction", "*")]
    [InlineData("ssm:SendCommand", "arn:${AWS::Partition}:ssm:${AWS::Region}:*:document/AWSFIS-Run-*")]
    [InlineData("s3:PutObject", "arn:${AWS::Partition}:s3:::my-bucket/FisConfigs/*")]
    [InlineData("states:DescribeExecution", "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:execution:serverless-chaos-experiment:*")]
    public void The_check_accepts_what_AWS_takes(string action, string resource)
    {
        var statement = new IamStatement(new JsonObject { ["Effect"] = "Allow", ["Action"] = action, ["Resource"] = resource });

        reference.Problems(statement).ShouldBeEmpty();
    }

    [Fact]
    public void The_reference_data_names_its_source_and_agrees_with_the_copy_cfn_lint_ships()
    {
        reference.Source.ShouldContain("Service Authorization Reference");
        var (exitCode, output) = ExternalTool.Run("python3",
            ["-c", "import os, cfnlint.data.AdditionalSpecs as m; print(os.path.join(os.path.dirname(m.__file__), 'Policies.json'))"]);
        exitCode.ShouldBe(0, output);
        var services = JsonNode.Parse(File.ReadAllText(output.Trim()))!.AsObject();

        foreach (var (action, types) in reference.Actions)
        {
            var service = action.Split(':')[0];
            var shipped = services[service]?["Actions"]?[action.Split(':')[1].ToLowerInvariant()];
            shipped.ShouldNotBeNull($"{action} is not in cfn-lint's copy of the Service Authorization Reference");
            var shippedTypes = (shipped["Resources"] as JsonArray ?? []).Select(t => t!.GetValue<string>().ToLowerInvariant()).Order();
            types.Select(t => t.Split(':')[1].ToLowerInvariant()).Order().ShouldBe(shippedTypes, action);
        }

        foreach (var (type, format) in reference.ResourceTypes)
        {
            var (service, name) = (type.Split(':')[0], type.Split(':')[1]);
            var shipped = services[service]!["Resources"]!.AsObject()
                .Single(r => string.Equals(r.Key, name, StringComparison.OrdinalIgnoreCase)).Value!["ARNFormats"]!.AsArray().Select(f => f!.GetValue<string>());
            // cfn-lint keeps each format up to the first variable of its resource part, then ".*": compare those stems.
            shipped.ShouldContain(f => Stem(f) == Stem(format), $"{type}: {format}");
        }
    }

    private static string Stem(string format)
    {
        var parts = format.Split(':', 6);
        return string.Join(":", parts[..5]) + ":" + parts[5].Split("${")[0].Split(".*")[0];
    }
}
