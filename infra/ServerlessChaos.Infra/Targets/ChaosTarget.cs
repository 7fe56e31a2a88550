using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SSM;
using Amazon.CDK.RegionInfo;
using Constructs;

namespace ServerlessChaos.Infra.Targets;

/// <summary>Props of <see cref="ChaosTarget"/>.</summary>
public sealed class ChaosTargetProps
{
    /// <summary>The function whose handler the ServerlessChaos wrapper decorates.</summary>
    public required Function Function { get; init; }

    /// <summary>SSM prefix of the wrapper settings parameters. Defaults to <c>/serverless-chaos/functions/</c>.</summary>
    public string ParameterPrefix { get; init; } = ChaosConventions.ParameterPrefix;

    /// <summary>The global halt parameter. Defaults to <c>/serverless-chaos/halt</c>.</summary>
    public string HaltParameter { get; init; } = ChaosConventions.HaltParameter;

    /// <summary>
    /// The function's settings parameter. Defaults to the prefix plus the function's explicit <c>FunctionName</c>
    /// (the name the orchestrator and the CLI arm); required when the function has a generated name.
    /// </summary>
    public string? ParameterName { get; init; }

    /// <summary>Whether to create the parameter with the disarmed baseline <c>{"version":1,"enabled":false}</c>. Defaults to true.</summary>
    public bool CreateBaselineParameter { get; init; } = true;

    /// <summary>
    /// Attach the AWS Parameters and Secrets Lambda extension (a local cached SSM endpoint on port 2773), so reads
    /// while armed stay off the account's SSM throughput. Defaults to false.
    /// </summary>
    public bool UseParametersAndSecretsExtension { get; init; }

    /// <summary>
    /// Read the settings from an AWS AppConfig configuration profile through the AppConfig Agent Lambda extension
    /// instead of SSM (the halt parameter stays in SSM). Null (the default) keeps SSM.
    /// </summary>
    public ChaosTargetAppConfig? AppConfig { get; init; }
}

/// <summary>Where <see cref="ChaosTarget"/> points a function's wrapper in AWS AppConfig (<see cref="ChaosTargetProps.AppConfig"/>).</summary>
public sealed class ChaosTargetAppConfig
{
    /// <summary>The AppConfig application ID (not its name: the IAM grant needs the ID).</summary>
    public required string ApplicationId { get; init; }

    /// <summary>The AppConfig environment ID.</summary>
    public required string EnvironmentId { get; init; }

    /// <summary>The configuration profile ID (a freeform or a feature-flag profile).</summary>
    public required string ConfigurationProfileId { get; init; }

    /// <summary>
    /// The ARN of the AWS AppConfig Agent Lambda extension layer for the stack's region and the function's
    /// architecture, as AWS publishes it in the AppConfig user guide (it differs per region and architecture).
    /// </summary>
    public string? AgentLayerArn { get; init; }
}

/// <summary>
/// Opts one Lambda function into ServerlessChaos: sets the wrapper's environment variables and lets the function
/// read its own settings parameter and the halt parameter, and nothing else.
/// </summary>
public sealed class ChaosTarget : Construct
{
    /// <summary>The environment variable naming the function's settings parameter.</summary>
    public const string ParameterVariable = ChaosConventions.ParameterVariable;

    /// <summary>The environment variable naming the halt parameter.</summary>
    public const string HaltParameterVariable = ChaosConventions.HaltParameterVariable;

    /// <summary>The environment variable telling the wrapper how to read: <c>ssm</c> (default) or <c>extension</c>.</summary>
    public const string SourceVariable = "SERVERLESS_CHAOS_SOURCE";

    // The Parameters and Secrets extension version; its layer ARN per region comes from the CDK's region facts.
    private const string ExtensionVersion = "1.0.103";

    /// <summary>The environment variables naming the AppConfig application, environment and configuration profile.</summary>
    public const string AppConfigApplicationVariable = "SERVERLESS_CHAOS_APPCONFIG_APPLICATION";

    /// <inheritdoc cref="AppConfigApplicationVariable"/>
    public const string AppConfigEnvironmentVariable = "SERVERLESS_CHAOS_APPCONFIG_ENVIRONMENT";

    /// <inheritdoc cref="AppConfigApplicationVariable"/>
    public const string AppConfigProfileVariable = "SERVERLESS_CHAOS_APPCONFIG_PROFILE";

    /// <summary>The settings parameter name the wrapper reads.</summary>
    public readonly string ParameterName;

    /// <summary>Applies the target to <see cref="ChaosTargetProps.Function"/>.</summary>
    public ChaosTarget(Construct scope, string id, ChaosTargetProps props)
        : base(scope, id)
    {
        var function = props.Function;
        ParameterName = props.ParameterName ?? DefaultParameterName(function, props.ParameterPrefix);
        if (!ParameterName.StartsWith('/'))
        {
            throw new ArgumentException($"ChaosTarget '{id}': ParameterName must start with '/' (was '{ParameterName}')", nameof(props));
        }

        function.AddEnvironment(ParameterVariable, ParameterName);
        function.AddEnvironment(HaltParameterVariable, props.HaltParameter);

        var stack = Stack.Of(this);
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadChaosSettings",
            Actions = ["ssm:GetParameter", "ssm:GetParameters"],
            Resources = [ParameterArns.Of(stack, ParameterName), ParameterArns.Of(stack, props.HaltParameter)],
        }));

        if (props.CreateBaselineParameter)
        {
            _ = new StringParameter(this, "Settings", new StringParameterProps
            {
                ParameterName = ParameterName,
                Description = "ServerlessChaos wrapper settings (disarmed baseline; the orchestrator arms and rolls it back).",
                StringValue = ChaosConventions.DisarmedDocument,
            });
        }

        if (props.UseParametersAndSecretsExtension)
        {
            var architecture = function.Architecture.Name;
            var layerArn = stack.RegionalFact(FactName.ParamsAndSecretsLambdaLayer(ExtensionVersion, architecture));
            function.AddLayers(LayerVersion.FromLayerVersionArn(this, "ParametersAndSecretsExtension", layerArn));
            function.AddEnvironment(SourceVariable, "extension");
            function.AddEnvironment("PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED", "true");
            function.AddEnvironment("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773");
            // The wrapper keeps its own short cache while armed; the extension's must not be longer.
            function.AddEnvironment("SSM_PARAMETER_STORE_TTL", "5");
        }

        if (props.AppConfig is { } appConfig)
        {
            UseAppConfig(id, function, stack, appConfig, props.UseParametersAndSecretsExtension);
        }
    }

    private void UseAppConfig(string id, Function function, Stack stack, ChaosTargetAppConfig appConfig, bool parametersExtension)
    {
        if (parametersExtension)
        {
            throw new ArgumentException(
                $"ChaosTarget '{id}': AppConfig and UseParametersAndSecretsExtension both choose where the settings are read from; set one of them", "props");
        }

        foreach (var (name, value) in new[]
        {
            ("AppConfig.ApplicationId", appConfig.ApplicationId),
            ("AppConfig.EnvironmentId", appConfig.EnvironmentId),
            ("AppConfig.ConfigurationProfileId", appConfig.ConfigurationProfileId),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"ChaosTarget '{id}': {name} is required (the ID, which the IAM grant needs)", "props");
            }
        }

        if (string.IsNullOrWhiteSpace(appConfig.AgentLayerArn))
        {
            throw new ArgumentException(
                $"ChaosTarget '{id}': AppConfig.AgentLayerArn is required: the AWS AppConfig Agent Lambda extension layer ARN for this region and the function's " +
                $"architecture ({function.Architecture.Name}), from the AppConfig user guide's list of extension layers", "props");
        }

        function.AddLayers(LayerVersion.FromLayerVersionArn(this, "AppConfigAgentExtension", appConfig.AgentLayerArn));
        function.AddEnvironment(SourceVariable, "appconfig");
        function.AddEnvironment(AppConfigApplicationVariable, appConfig.ApplicationId);
        function.AddEnvironment(AppConfigEnvironmentVariable, appConfig.EnvironmentId);
        function.AddEnvironment(AppConfigProfileVariable, appConfig.ConfigurationProfileId);
        function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "ReadChaosSettingsFromAppConfig",
            Actions = ["appconfig:StartConfigurationSession", "appconfig:GetLatestConfiguration"],
            Resources =
            [
                $"arn:{stack.Partition}:appconfig:{stack.Region}:{stack.Account}:application/{appConfig.ApplicationId}" +
                $"/environment/{appConfig.EnvironmentId}/configuration/{appConfig.ConfigurationProfileId}",
            ],
        }));
    }

    private static string DefaultParameterName(Function function, string prefix)
    {
        // The function's own name token would make the function depend on itself; use the literal name it was given.
        var name = (function.Node.DefaultChild as CfnFunction)?.FunctionName;
        if (name is null || Token.IsUnresolved(name))
        {
            throw new ArgumentException(
                $"ChaosTarget for '{function.Node.Path}': give the function an explicit FunctionName, or set ChaosTargetProps.ParameterName " +
                $"(the wrapper's parameter is '{prefix}<function name>').");
        }

        return prefix + name;
    }
}
