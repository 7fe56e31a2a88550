using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessChaos.Infra.Fis;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

/// <summary>The CDK CLI from package.json synthesizes the app from the repository root, offline, with cdk.json's context.</summary>
[Collection(CdkCliSynthCollection.Name)]
public sealed partial class CdkCliSynthTests(CdkCliSynth synth)
{
    [Fact]
    public void Cdk_synth_succeeds_offline_and_the_substituted_definition_passes_asl_validator()
    {
        var output = synth.Default.Directory;
        synth.Default.ExitCode.ShouldBe(0, synth.Default.Output);
        synth.Default.Output.ShouldContain("PLACEHOLDER bootstrap");
        File.Exists(Path.Combine(output, "ServerlessChaosSampleTarget.template.json")).ShouldBeTrue("cdk.json enables the sample target");

        var template = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "ServerlessChaos.template.json")))!;
        var resources = template["Resources"]!.AsObject();
        var machine = resources.Single(r => r.Value!["Type"]!.ToString() == "AWS::StepFunctions::StateMachine").Value!["Properties"]!;

        // cdk.json's example game day: deployed disabled, with the dead-letter queue on its target.
        var schedule = resources.Single(r => r.Value!["Type"]!.ToString() == "AWS::Scheduler::Schedule").Value!["Properties"]!;
        schedule["State"]!.GetValue<string>().ShouldBe("DISABLED");
        schedule["Target"]!["DeadLetterConfig"]!["Arn"].ShouldNotBeNull();
        JsonNode.DeepEquals(JsonNode.Parse(schedule["Target"]!["Input"]!.GetValue<string>()),
            JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "events", "experiments", "sample-target-game-day.json")))).ShouldBeTrue();

        // Fill in each ${Name} the way CloudFormation would, with an ARN of the right shape.
        var definition = machine["DefinitionString"]!.GetValue<string>();
        foreach (var (name, value) in machine["DefinitionSubstitutions"]!.AsObject())
        {
            var logicalId = value!["Fn::GetAtt"]?[0]?.ToString() ?? value["Ref"]?.ToString() ?? name;
            var arn = resources[logicalId]?["Type"]?.ToString() == "AWS::Lambda::Function"
                ? $"arn:aws:lambda:eu-west-1:123456789012:function:{resources[logicalId]!["Properties"]!["FunctionName"]}"
                : $"arn:aws:sqs:eu-west-1:123456789012:{logicalId}";
            definition = definition.Replace("${" + name + "}", arn, StringComparison.Ordinal);
        }

        Placeholder().IsMatch(definition).ShouldBeFalse("every placeholder is substituted");
        var file = Path.Combine(output, "deployed-definition.asl.json");
        File.WriteAllText(file, definition);

        var validation = ExternalTool.Run(ExternalTool.AslValidator, ["--json-path", file]);
        validation.ExitCode.ShouldBe(0, validation.Output);
        validation.Output.ShouldContain("is valid");
    }

    [Fact]
    public void The_all_actions_settings_synthesize_templates_a_platform_team_can_deploy()
    {
        var variant = synth.AllActions;
        variant.ExitCode.ShouldBe(0, variant.Output);
        variant.Output.ShouldNotContain("PLACEHOLDER");
        variant.TemplateFiles.Select(Path.GetFileName).ShouldBe(["ServerlessChaos.template.json", "ServerlessChaosSampleTarget.template.json"]);

        foreach (var template in variant.Templates)
        {
            // Deployable: no never-true placeholder rule, CDK's bootstrap check, and code from a staged asset.
            var rules = template.Root["Rules"]?.AsObject() ?? [];
            rules.ContainsKey("PlaceholderBootstrapCannotBeDeployed").ShouldBeFalse(template.Name);
            rules.ContainsKey("CheckBootstrapVersion").ShouldBeTrue(template.Name);
            foreach (var (_, function) in template.OfType("AWS::Lambda::Function"))
            {
                function["Code"]!["S3Key"]!.ToString().ShouldEndWith(".zip", customMessage: template.Name);
            }
        }

        // One template per supported action, each with its required parameters and a duration where it takes one.
        var templates = variant.Templates.Single(t => t.Name.EndsWith("/ServerlessChaos.template.json", StringComparison.Ordinal))
            .OfType("AWS::FIS::ExperimentTemplate").Select(t => t.Properties["Actions"]!.AsObject().Single().Value!).ToList();
        templates.Select(a => a!["ActionId"]!.ToString()).Order().ShouldBe(FisActions.All.Select(a => a.Id).Order());
        foreach (var action in templates)
        {
            var row = FisActions.Find(action!["ActionId"]!.ToString())!;
            var parameters = (action["Parameters"] as JsonObject ?? []).Select(p => p.Key).ToList();
            parameters.ShouldBeSubsetOf([.. row.Parameters.Select(p => p.Name), "duration"]);
            parameters.Contains("duration").ShouldBe(row.HasDuration, row.Id);
            row.Parameters.Where(p => p.Required).ShouldAllBe(p => parameters.Contains(p.Name), row.Id);
            action["Targets"]![row.TargetKey]!.ToString().ShouldBe("targets");
        }
    }

    [GeneratedRegex(@"\$\{[A-Za-z0-9_]+\}")]
    private static partial Regex Placeholder();
}
