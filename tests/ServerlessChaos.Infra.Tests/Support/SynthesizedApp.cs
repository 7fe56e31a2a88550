using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.Assertions;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using ServerlessChaos.Infra.Settings;
using ServerlessChaos.Infra.Targets;

namespace ServerlessChaos.Infra.Tests.Support;

/// <summary>
/// One synthesized app shared by the template tests (a synth starts the JSII runtime, ~20 s): the app as the CDK
/// CLI would build it from the settings of infra/examples/all-fis-actions.json (a template for every supported FIS
/// action, every schedule option) and the sample target, plus a stack of ChaosTarget uses.
/// </summary>
public sealed class SynthesizedApp : IDisposable
{
    public const string LayerArn = "arn:aws:lambda:eu-west-1:123456789012:layer:aws-fis-extension-x86_64:9";

    /// <summary>The all-actions settings (the <c>serverlessChaos</c> context object).</summary>
    public static string AllActionsSettingsFile { get; } = Path.Combine(Repository.Root, "infra", "examples", "all-fis-actions.json");

    private readonly string outdir = Directory.CreateTempSubdirectory("serverless-chaos-synth-").FullName;

    public SynthesizedApp()
    {
        var settings = JsonNode.Parse(File.ReadAllText(AllActionsSettingsFile));
        var app = new App(new AppProps
        {
            Outdir = outdir,
            Context = new Dictionary<string, object>
            {
                // Nested dictionaries, as the CLI hands over cdk.json's context.
                [InfraSettings.ContextKey] = ToContext(settings)!,
                [InfraSettings.BootstrapContextKey] = "placeholder",
            },
        });

        Settings = ServerlessChaosApp.ReadSettings(app, Repository.Root);
        Stacks = ServerlessChaosApp.Build(app, Settings);

        var examples = new Stack(app, "ChaosTargetExamples");
        var named = ExampleFunction(examples, "Orders", "orders-api");
        NamedTarget = new ChaosTarget(examples, "OrdersChaos", new ChaosTargetProps { Function = named, UseParametersAndSecretsExtension = true });
        // A team's function on a managed runtime, prepared for the FIS Lambda actions of the control plane's templates.
        var payments = ExampleFunction(examples, "Payments", "payments-api");
        Stacks.ControlPlane.Templates!.PrepareLambdaTarget(payments, LayerVersion.FromLayerVersionArn(examples, "FisExtension", LayerArn));
        var generated = ExampleFunction(examples, "Generated", functionName: null);
        CustomTarget = new ChaosTarget(examples, "GeneratedChaos", new ChaosTargetProps
        {
            Function = generated,
            ParameterName = "/serverless-chaos/functions/generated",
            CreateBaselineParameter = false,
        });

        ControlPlane = new TemplateJson(Template.FromStack(Stacks.ControlPlane));
        Sample = new TemplateJson(Template.FromStack(Stacks.SampleTarget!));
        Examples = new TemplateJson(Template.FromStack(examples));
    }

    public InfraSettings Settings { get; }

    public ServerlessChaosStacks Stacks { get; }

    public ChaosTarget NamedTarget { get; }

    public ChaosTarget CustomTarget { get; }

    public TemplateJson ControlPlane { get; }

    public TemplateJson Sample { get; }

    public TemplateJson Examples { get; }

    public IEnumerable<TemplateJson> All => [ControlPlane, Sample, Examples];

    public static Function ExampleFunction(Construct scope, string id, string? functionName) => new(scope, id, new FunctionProps
    {
        FunctionName = functionName,
        Runtime = Runtime.PROVIDED_AL2023,
        Handler = "orders",
        Code = Code.FromAsset(Path.Combine(Repository.Root, "infra", "placeholder-bootstrap")),
    });

    public void Dispose()
    {
        try
        {
            Directory.Delete(outdir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private static object? ToContext(JsonNode? node) => node switch
    {
        JsonObject o => o.ToDictionary(p => p.Key, p => ToContext(p.Value)!),
        JsonArray a => a.Select(ToContext).ToArray(),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v => v.GetValue<double>(),
        _ => null,
    };
}

/// <summary>Every test that calls into the CDK belongs here: the JSII runtime behind it must not be called in parallel.</summary>
[CollectionDefinition(Name)]
public sealed class SynthesizedAppCollection : ICollectionFixture<SynthesizedApp>
{
    public const string Name = "Synthesized app";
}
