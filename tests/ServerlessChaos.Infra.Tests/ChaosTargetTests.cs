using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.Lambda;
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

[Collection(SynthesizedAppCollection.Name)]
public sealed class ChaosTargetAppConfigTests
{
    private const string AgentLayer = "arn:aws:lambda:eu-west-1:123456789012:layer:AppConfig-Agent-Example:1";

    private static (Stack Stack, Function Function) NewFunction()
    {
        var stack = new Stack(new App(), "AppConfigTarget");
        return (stack, SynthesizedApp.ExampleFunction(stack, "Orders", "orders-api"));
    }

    private static ChaosTargetAppConfig AppConfig(string? layer = AgentLayer) => new()
    {
        ApplicationId = "abc1234",
        EnvironmentId = "env5678",
        ConfigurationProfileId = "prof901",
        AgentLayerArn = layer,
    };

    [Fact]
    public void AppConfig_sets_the_wrappers_source_attaches_the_agent_and_grants_exactly_the_two_reads_on_the_profile()
    {
        var (stack, function) = NewFunction();
        _ = new ChaosTarget(stack, "OrdersChaos", new ChaosTargetProps { Function = function, AppConfig = AppConfig() });

        var template = Template.FromStack(stack);

        template.HasResourceProperties("AWS::Lambda::Function", new Dictionary<string, object>
        {
            ["FunctionName"] = "orders-api",
            ["Layers"] = new[] { AgentLayer },
            ["Environment"] = new Dictionary<string, object>
            {
                ["Variables"] = Match.ObjectLike(new Dictionary<string, object>
                {
                    ["SERVERLESS_CHAOS_SOURCE"] = "appconfig",
                    ["SERVERLESS_CHAOS_APPCONFIG_APPLICATION"] = "abc1234",
                    ["SERVERLESS_CHAOS_APPCONFIG_ENVIRONMENT"] = "env5678",
                    ["SERVERLESS_CHAOS_APPCONFIG_PROFILE"] = "prof901",
                    ["SERVERLESS_CHAOS_HALT_PARAMETER"] = "/serverless-chaos/halt",
                }),
            },
        });
        var statement = new TemplateJson(template).OfType("AWS::IAM::Policy").Single().Properties["PolicyDocument"]!["Statement"]!.AsArray()
            .Single(s => s!["Sid"]!.GetValue<string>() == "ReadChaosSettingsFromAppConfig")!;
        statement["Action"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"]);
        TemplateJson.Render(statement["Resource"]).ShouldBe(
            "arn:${AWS::Partition}:appconfig:${AWS::Region}:${AWS::AccountId}:application/abc1234/environment/env5678/configuration/prof901");
        IamReference.Load().Problems(new IamStatement(statement.DeepClone().AsObject())).ShouldBeEmpty();
    }

    [Fact]
    public void Without_AppConfig_no_AppConfig_variable_layer_or_grant_is_added()
    {
        var (stack, function) = NewFunction();
        _ = new ChaosTarget(stack, "OrdersChaos", new ChaosTargetProps { Function = function });

        var json = Template.FromStack(stack).ToJSON().ToString()!;

        json.ShouldNotContain("appconfig", Case.Insensitive);
    }

    [Fact]
    public void A_missing_agent_layer_arn_is_a_clear_error_naming_the_prop()
    {
        var (stack, function) = NewFunction();

        var error = Should.Throw<ArgumentException>(() => new ChaosTarget(stack, "OrdersChaos", new ChaosTargetProps { Function = function, AppConfig = AppConfig(layer: null) }));

        error.Message.ShouldContain("AppConfig.AgentLayerArn is required");
        error.Message.ShouldContain("x86_64");
    }

    [Fact]
    public void AppConfig_and_the_parameters_extension_together_are_refused()
    {
        var (stack, function) = NewFunction();

        var error = Should.Throw<ArgumentException>(() => new ChaosTarget(stack, "OrdersChaos", new ChaosTargetProps
        {
            Function = function, AppConfig = AppConfig(), UseParametersAndSecretsExtension = true,
        }));

        error.Message.ShouldContain("AppConfig and UseParametersAndSecretsExtension");
    }
}
