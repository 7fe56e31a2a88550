using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

/// <summary>The CDK CLI from package.json synthesizes the app from the repository root, offline, with cdk.json's context.</summary>
public sealed partial class CdkCliSynthTests : IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("cdk-synth-").FullName;

    [Fact]
    public void Cdk_synth_succeeds_offline_and_the_substituted_definition_passes_asl_validator()
    {
        // --build "": skip cdk.json's publish step (a deploy runs it); the placeholder bootstrap keeps the synth offline and fast.
        var synth = Run(Path.Combine(Repository.Root, "node_modules", ".bin", "cdk"),
            ["synth", "--build", "", "-c", "serverlessChaos:bootstrap=placeholder", "--no-notices", "-q", "-o", output]);

        synth.ExitCode.ShouldBe(0, synth.Output);
        synth.Output.ShouldContain("PLACEHOLDER bootstrap");
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

        var validation = Run(Path.Combine(Repository.Root, "node_modules", ".bin", "asl-validator"), ["--json-path", file]);
        validation.ExitCode.ShouldBe(0, validation.Output);
        validation.Output.ShouldContain("is valid");
    }

    public void Dispose() => Directory.Delete(output, recursive: true);

    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline and quiet: no telemetry, no update check; no AWS profile is read for a synth.
        start.Environment["CDK_DISABLE_CLI_TELEMETRY"] = "true";
        start.Environment["CDK_DISABLE_VERSION_CHECK"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(4)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within 4 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    [GeneratedRegex(@"\$\{[A-Za-z0-9_]+\}")]
    private static partial Regex Placeholder();
}
