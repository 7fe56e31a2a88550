using Amazon.CDK;
using ServerlessChaos.Infra.Targets;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed class ChaosTargetTests(SynthesizedApp app)
{
    [Fact]
    public void The_wrapper_environment_names_the_functions_parameter_and_the_halt_parameter()
    {
        var orders = app.Examples.OfType("AWS::Lambda::Function").Single(f => f.Properties["FunctionName"]?.ToString() == "orders-api").Properties;
        var variables = orders["Environment"]!["Variables"]!;

        app.NamedTarget.ParameterName.ShouldBe("/serverless-chaos/functions/orders-api");
        variables["SERVERLESS_CHAOS_PARAMETER"]!.GetValue<string>().ShouldBe("/serverless-chaos/functions/orders-api");
        variables["SERVERLESS_CHAOS_HALT_PARAMETER"]!.GetValue<string>().ShouldBe("/serverless-chaos/halt");
    }

    [Fact]
    public void The_disarmed_baseline_parameter_is_created_unless_turned_off()
    {
        var parameters = app.Examples.OfType("AWS::SSM::Parameter").Select(p => p.Properties).ToList();

        parameters.Count.ShouldBe(1);
        parameters[0]["Name"]!.GetValue<string>().ShouldBe("/serverless-chaos/functions/orders-api");
        parameters[0]["Value"]!.GetValue<string>().ShouldBe("""{"version":1,"enabled":false}""");
    }

    [Fact]
    public void The_parameters_and_secrets_extension_is_attached_only_when_asked_for()
    {
        var functions = app.Examples.OfType("AWS::Lambda::Function").ToDictionary(
            f => f.Properties["FunctionName"]?.ToString() ?? "generated", f => f.Properties);

        functions["orders-api"]["Layers"]!.AsArray().Count.ShouldBe(1);
        TemplateJson.Render(functions["orders-api"]["Layers"]![0]).ShouldBe("${FindInMap}");
        // The layer comes from a per-region mapping of the extension's published ARNs.
        var regions = app.Examples.Root["Mappings"]!.AsObject().Select(m => m.Value!.AsObject()).Single(m => m.ContainsKey("us-east-1"));
        regions["us-east-1"]!.AsObject().Single().Value!.GetValue<string>()
            .ShouldStartWith("arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:");
        functions["orders-api"]["Environment"]!["Variables"]!["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"]!.GetValue<string>().ShouldBe("2773");
        functions["orders-api"]["Environment"]!["Variables"]!["SERVERLESS_CHAOS_SOURCE"]!.GetValue<string>().ShouldBe("extension");
        functions["generated"]["Layers"].ShouldBeNull();
        functions["generated"]["Environment"]!["Variables"]!.AsObject().ContainsKey("SERVERLESS_CHAOS_SOURCE").ShouldBeFalse();
        functions["payments-api"]["Environment"]!["Variables"]!.AsObject().ContainsKey("SERVERLESS_CHAOS_PARAMETER").ShouldBeFalse("not a chaos target");
        functions["generated"]["Environment"]!["Variables"]!["SERVERLESS_CHAOS_PARAMETER"]!.GetValue<string>()
            .ShouldBe("/serverless-chaos/functions/generated");
    }

    [Fact]
    public void A_function_with_a_generated_name_needs_an_explicit_parameter_name()
    {
        var stack = new Stack(new App(), "NoName");
        var function = SynthesizedApp.ExampleFunction(stack, "Unnamed", functionName: null);

        var error = Should.Throw<ArgumentException>(() => new ChaosTarget(stack, "Chaos", new ChaosTargetProps { Function = function }));

        error.Message.ShouldContain("explicit FunctionName");
        error.Message.ShouldContain("ParameterName");
    }
}
