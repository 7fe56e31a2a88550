using Amazon.CDK;
using Amazon.CDK.AWS.APIGateway;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Constructs;
using ServerlessChaos.Infra.Alarms;
using ServerlessChaos.Infra.ControlPlane;
using ServerlessChaos.Infra.Fis;
using ServerlessChaos.Infra.Settings;
using ServerlessChaos.Infra.Targets;

namespace ServerlessChaos.Infra.SampleTarget;

/// <summary>Props of <see cref="SampleTargetStack"/>.</summary>
public sealed class SampleTargetStackProps : StackProps
{
    /// <summary>The validated app settings.</summary>
    public required InfraSettings Settings { get; init; }
}

/// <summary>
/// Something safe to aim at: an API Gateway REST API in front of a wrapper-decorated Lambda (the same bootstrap,
/// handler <c>sample-api</c>), an ECS Fargate service, their hypothesis alarms, and FIS templates that target them by tag.
/// </summary>
public sealed class SampleTargetStack : Stack
{
    /// <summary>The tag (and its values) the sample's FIS templates select targets by.</summary>
    public const string TargetTagKey = "serverless-chaos:target";

    /// <summary>The sample API function.</summary>
    public readonly Function ApiFunction;

    /// <summary>The REST API.</summary>
    public readonly LambdaRestApi Api;

    /// <summary>The wrapper opt-in of the sample function.</summary>
    public readonly ChaosTarget ChaosTarget;

    /// <summary>The ECS Fargate service.</summary>
    public readonly FargateService Service;

    /// <summary>The hypothesis alarms, by name.</summary>
    public readonly IReadOnlyDictionary<string, IAlarm> Alarms;

    /// <summary>The sample's FIS templates.</summary>
    public readonly ExperimentTemplates Templates;

    /// <summary>Creates the stack.</summary>
    public SampleTargetStack(Construct scope, string id, SampleTargetStackProps props)
        : base(scope, id, props)
    {
        var settings = props.Settings;
        var prefix = settings.NamePrefix;
        var retention = RetentionPeriods.Of(settings.LogRetentionDays);

        ApiFunction = new Function(this, "SampleApi", new FunctionProps
        {
            FunctionName = $"{prefix}-sample-api",
            Description = "ServerlessChaos sample API handler, decorated by the chaos wrapper",
            Runtime = Runtime.PROVIDED_AL2023,
            Architecture = Architecture.X86_64,
            Handler = "sample-api",
            Code = BootstrapAsset.For(this, settings),
            MemorySize = 256,
            Timeout = Duration.Seconds(10),
            LogGroup = new LogGroup(this, "SampleApiLogs", new LogGroupProps
            {
                LogGroupName = $"/aws/lambda/{prefix}-sample-api",
                Retention = retention,
                RemovalPolicy = RemovalPolicy.DESTROY,
            }),
        });
        Amazon.CDK.Tags.Of(ApiFunction).Add(TargetTagKey, "sample-api");

        // The bootstrap's sample-api handler reads only the wrapper's variables (set by ChaosTarget below). No
        // SAMPLE_INVENTORY_URL: the stack deploys no inventory service, so the function uses its built-in inventory.
        ChaosTarget = new ChaosTarget(this, "SampleApiChaos", new ChaosTargetProps
        {
            Function = ApiFunction,
            ParameterPrefix = settings.ParameterPrefix,
            HaltParameter = settings.HaltParameter,
        });

        Api = new LambdaRestApi(this, "Api", new LambdaRestApiProps
        {
            Handler = ApiFunction,
            RestApiName = $"{prefix}-sample-api",
            // No account-wide API Gateway logging role: the sample must not change account settings.
            CloudWatchRole = false,
            DeployOptions = new StageOptions { StageName = "prod", MetricsEnabled = true },
        });

        // Public subnets only: no NAT gateway to pay for while the sample sits idle.
        var vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = 2,
            NatGateways = 0,
            SubnetConfiguration = [new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 }],
        });
        var cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = vpc,
            ClusterName = $"{prefix}-sample",
            // RunningTaskCount, the ECS steady-state signal, is a Container Insights metric.
            ContainerInsights = true,
        });
        var task = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Cpu = 256,
            MemoryLimitMiB = 512,
            RuntimePlatform = new RuntimePlatform { OperatingSystemFamily = OperatingSystemFamily.LINUX, CpuArchitecture = CpuArchitecture.X86_64 },
            // The FIS aws:ecs:task-* actions need to see the app's processes from the SSM agent sidecar.
            PidMode = PidMode.TASK,
        });
        task.AddContainer("web", new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromRegistry(settings.SampleTarget.ContainerImage),
            PortMappings = [new PortMapping { ContainerPort = 80 }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps
            {
                StreamPrefix = "web",
                LogGroup = new LogGroup(this, "WebLogs", new LogGroupProps { Retention = retention, RemovalPolicy = RemovalPolicy.DESTROY }),
            }),
        });
        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            Cluster = cluster,
            TaskDefinition = task,
            ServiceName = $"{prefix}-sample",
            DesiredCount = settings.SampleTarget.DesiredCount,
            AssignPublicIp = true,
            // Tasks carry the service's tags, so FIS can select them by tag.
            PropagateTags = PropagatedTagSource.SERVICE,
            EnableECSManagedTags = true,
        });
        Amazon.CDK.Tags.Of(Service).Add(TargetTagKey, "sample-ecs");

        var alarms = new IAlarm[]
        {
            SteadyStateAlarms.ApiGateway5xx(this, $"{prefix}-sample-api-5xx", Api, threshold: 10),
            SteadyStateAlarms.ApiGatewayLatency(this, $"{prefix}-sample-api-latency", Api, milliseconds: 2000),
            SteadyStateAlarms.LambdaErrors(this, $"{prefix}-sample-api-errors", ApiFunction, threshold: 5),
            SteadyStateAlarms.LambdaThrottles(this, $"{prefix}-sample-api-throttles", ApiFunction),
            SteadyStateAlarms.EcsRunningTaskCount(this, $"{prefix}-sample-ecs-running-tasks", cluster.ClusterName, Service.ServiceName),
        };
        Alarms = alarms.ToDictionary(a => ((Alarm)a).Node.Id, a => a);

        // ECS stop-task only: the task-* actions need an SSM agent sidecar, and the FIS Lambda actions need a wrapper
        // script that OS-only runtimes do not run; the sample's Lambda takes its faults from the chaos wrapper instead.
        Templates = new ExperimentTemplates(this, "ExperimentTemplates", new ExperimentTemplatesProps
        {
            NamePrefix = $"{prefix}-sample",
            Templates =
            [
                new ExperimentTemplateSettings
                {
                    Name = "sample-ecs-stop-task",
                    Description = "Stops one task of the sample ECS service; the service should replace it",
                    Action = FisActions.EcsStopTask.Id,
                    Duration = "",
                    TargetTags = new Dictionary<string, string> { [TargetTagKey] = "sample-ecs" },
                    SelectionMode = "COUNT(1)",
                    StopAlarms = [$"{prefix}-sample-api-5xx"],
                },
            ],
            LogRetentionDays = settings.LogRetentionDays,
            KnownAlarms = Alarms,
        });

        _ = new CfnOutput(this, "ApiUrl", new CfnOutputProps { Value = Api.Url });
        _ = new CfnOutput(this, "SampleApiParameter", new CfnOutputProps { Value = ChaosTarget.ParameterName });
        _ = new CfnOutput(this, "HypothesisAlarms", new CfnOutputProps { Value = string.Join(",", Alarms.Keys) });
    }
}
