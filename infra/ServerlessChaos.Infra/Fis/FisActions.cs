using System.Text;
using static ServerlessChaos.Infra.Fis.FisParameter;

namespace ServerlessChaos.Infra.Fis;

/// <summary>
/// The FIS actions ServerlessChaos templates can use: the one table that synth-time validation
/// (<see cref="Settings.InfraSettingsReader"/>), the FIS role's policy (<see cref="ExperimentTemplates"/>) and the
/// README's deploy section are made from. Ids, target keys, parameters and permissions are those of the FIS actions
/// reference (https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html), the ECS task actions page
/// (https://docs.aws.amazon.com/fis/latest/userguide/ecs-task-actions.html) and the Lambda actions page
/// (https://docs.aws.amazon.com/fis/latest/userguide/use-lambda-actions.html).
/// </summary>
public static class FisActions
{
    // FIS finds tag-selected targets through the Resource Groups Tagging API, which has no resource types.
    private static readonly FisPermission ResolveTaggedTargets = new("ResolveTaggedTargets", ["tag:GetResources"], [FisResource.Any]);

    private static readonly FisPermission DescribeEcsTasks = new("DescribeEcsTasks", ["ecs:DescribeTasks"], [FisResource.EcsTasks]);

    // AWSFaultInjectionSimulatorECSAccess grants ecs:ListTasks on *: its resource type is container-instance, which a
    // Fargate task does not have, so a container-instance ARN would deny listing Fargate tasks.
    private static readonly FisPermission ListEcsTasks = new("ListEcsTasks", ["ecs:ListTasks"], [FisResource.Any]);

    private static readonly FisPermission StopEcsTasks = new("StopEcsTasks", ["ecs:StopTask"], [FisResource.EcsTasks]);

    // The task actions run FIS-owned SSM documents (AWSFIS-Run-*) on the managed instances the sidecars register.
    private static readonly FisPermission RunFisDocuments = new("RunFisDocuments", ["ssm:SendCommand"],
        [FisResource.FisSsmDocuments, FisResource.SsmManagedInstances]);

    private static readonly FisPermission TrackFisCommands = new("TrackFisCommands", ["ssm:ListCommands", "ssm:CancelCommand"], [FisResource.Any]);

    // The network task actions also look up where the task runs (FIS actions reference, aws:ecs:task-network-*).
    private static readonly FisPermission DescribeEcsContainerInstances = new("DescribeEcsContainerInstances",
        ["ecs:DescribeContainerInstances"], [FisResource.EcsContainerInstances]);

    private static readonly FisPermission DescribeTaskNetwork = new("DescribeTaskNetwork", ["ec2:DescribeInstances", "ec2:DescribeSubnets"], [FisResource.Any]);

    // The FIS Lambda actions page grants lambda:GetFunction on *.
    private static readonly FisPermission ReadTargetFunctions = new("ReadTargetFunctions", ["lambda:GetFunction"], [FisResource.Any]);

    private static readonly FisPermission WriteFisConfiguration = new("WriteFisConfiguration", ["s3:PutObject", "s3:DeleteObject"],
        [FisResource.LambdaConfigurationObjects]);

    private const string SsmSidecar = "an SSM agent sidecar container that registers the task as an SSM managed instance "
        + "(task role: `ssm:CreateActivation`, `ssm:AddTagsToResource`, `iam:PassRole` on the managed-instance role), "
        + "`pidMode: task`, ECS Exec off";

    private const string TaggedTasks = "the template's target tags on the tasks (`propagateTags: SERVICE`)";

    private const string NetworkTarget = "; EC2 launch type, or Fargate with `useEcsFaultInjectionEndpoints=true` and `enableFaultInjection: true` in the task definition";

    private const string LambdaTarget = "the template's target tags on the function; the AWS FIS Lambda extension layer, "
        + "`AWS_FIS_CONFIGURATION_LOCATION` and `AWS_LAMBDA_EXEC_WRAPPER=/opt/aws-fis/bootstrap` (`ExperimentTemplates.PrepareLambdaTarget`); "
        + "a managed runtime, no response streaming";

    private static readonly FisPermission[] EcsTargets = [ResolveTaggedTargets, DescribeEcsTasks, ListEcsTasks];

    private static readonly FisPermission[] EcsInTask = [.. EcsTargets, RunFisDocuments, TrackFisCommands];

    private static readonly FisPermission[] LambdaTargets = [ResolveTaggedTargets, ReadTargetFunctions, WriteFisConfiguration];

    /// <summary>Stops ECS tasks (the service replaces them).</summary>
    public static readonly FisAction EcsStopTask = new(
        "aws:ecs:stop-task", "aws:ecs:task", "Tasks", HasDuration: false, [],
        [.. EcsTargets, StopEcsTasks],
        TaggedTasks + "; a service that replaces stopped tasks");

    /// <summary>CPU stress inside ECS tasks.</summary>
    public static readonly FisAction EcsTaskCpuStress = new(
        "aws:ecs:task-cpu-stress", "aws:ecs:task", "Tasks", HasDuration: true,
        [
            OptionalOf("percent", FisParameterFormat.Integer, 0, 100),
            OptionalOf("workers", FisParameterFormat.Integer, 1),
            OptionalOf("installDependencies", FisParameterFormat.SsmBoolean),
        ],
        EcsInTask,
        TaggedTasks + "; " + SsmSidecar);

    /// <summary>Network latency inside ECS tasks.</summary>
    public static readonly FisAction EcsTaskNetworkLatency = new(
        "aws:ecs:task-network-latency", "aws:ecs:task", "Tasks", HasDuration: true,
        [
            OptionalOf("delayMilliseconds", FisParameterFormat.Integer, 0),
            OptionalOf("jitterMilliseconds", FisParameterFormat.Integer, 0),
            OptionalOf("flowsPercent", FisParameterFormat.Integer, 0, 100),
            OptionalOf("interface", FisParameterFormat.Text),
            OptionalOf("sources", FisParameterFormat.Text),
            OptionalOf("installDependencies", FisParameterFormat.SsmBoolean),
            OptionalOf("useEcsFaultInjectionEndpoints", FisParameterFormat.Boolean),
        ],
        [.. EcsInTask, DescribeEcsContainerInstances, DescribeTaskNetwork],
        TaggedTasks + "; " + SsmSidecar + NetworkTarget);

    /// <summary>Packet loss inside ECS tasks.</summary>
    public static readonly FisAction EcsTaskNetworkPacketLoss = new(
        "aws:ecs:task-network-packet-loss", "aws:ecs:task", "Tasks", HasDuration: true,
        [
            OptionalOf("lossPercent", FisParameterFormat.Integer, 0, 100),
            OptionalOf("flowsPercent", FisParameterFormat.Integer, 0, 100),
            OptionalOf("interface", FisParameterFormat.Text),
            OptionalOf("sources", FisParameterFormat.Text),
            OptionalOf("installDependencies", FisParameterFormat.SsmBoolean),
            OptionalOf("useEcsFaultInjectionEndpoints", FisParameterFormat.Boolean),
        ],
        [.. EcsInTask, DescribeEcsContainerInstances, DescribeTaskNetwork],
        TaggedTasks + "; " + SsmSidecar + NetworkTarget);

    /// <summary>Replaces a Lambda's response with an HTTP integration response (how FIS reaches API Gateway).</summary>
    public static readonly FisAction LambdaHttpIntegrationResponse = new(
        "aws:lambda:invocation-http-integration-response", "aws:lambda:function", "Functions", HasDuration: true,
        [
            OptionalOf("invocationPercentage", FisParameterFormat.Integer, 1, 100),
            RequiredOf("statusCode", FisParameterFormat.Integer, 100, 599),
            RequiredOf("contentTypeHeader", FisParameterFormat.Text),
            RequiredOf("preventExecution", FisParameterFormat.Boolean),
        ],
        LambdaTargets,
        LambdaTarget + "; called through an API Gateway or ALB integration");

    /// <summary>Delays the start of Lambda invocations.</summary>
    public static readonly FisAction LambdaAddDelay = new(
        "aws:lambda:invocation-add-delay", "aws:lambda:function", "Functions", HasDuration: true,
        [
            OptionalOf("invocationPercentage", FisParameterFormat.Integer, 1, 100),
            OptionalOf("startupDelayMilliseconds", FisParameterFormat.Integer, 0, 900_000),
        ],
        LambdaTargets,
        LambdaTarget);

    /// <summary>Fails Lambda invocations.</summary>
    public static readonly FisAction LambdaError = new(
        "aws:lambda:invocation-error", "aws:lambda:function", "Functions", HasDuration: true,
        [
            OptionalOf("invocationPercentage", FisParameterFormat.Integer, 1, 100),
            RequiredOf("preventExecution", FisParameterFormat.Boolean),
        ],
        LambdaTargets,
        LambdaTarget);

    /// <summary>Every supported action.</summary>
    public static IReadOnlyList<FisAction> All { get; } =
    [
        EcsStopTask, EcsTaskCpuStress, EcsTaskNetworkLatency, EcsTaskNetworkPacketLoss,
        LambdaHttpIntegrationResponse, LambdaAddDelay, LambdaError,
    ];

    /// <summary>The action with this id, or null.</summary>
    public static FisAction? Find(string id) => All.FirstOrDefault(a => a.Id == id);

    /// <summary>The README's table of supported actions, made from <see cref="All"/> (a test keeps the README equal to it).</summary>
    public static string MarkdownTable()
    {
        static string Code(string text) => $"`{text}`";
        static string List(IEnumerable<FisParameter> parameters) =>
            string.Join(", ", parameters.Select(p => $"`{p.Name}` ({p.FormatText})")) is { Length: > 0 } text ? text : "none";

        var table = new StringBuilder()
            .Append("| action | target (key) | required parameters | optional parameters | FIS role permissions | the target needs |\n")
            .Append("|---|---|---|---|---|---|\n");
        foreach (var action in All)
        {
            var required = action.Parameters.Where(p => p.Required).ToList();
            var optional = action.Parameters.Where(p => !p.Required).ToList();
            var duration = action.HasDuration ? "`duration` (ISO 8601, PT1M to PT12H)" : "";
            var permissions = string.Join(", ", action.Permissions.SelectMany(p => p.Actions).Distinct().Order(StringComparer.Ordinal).Select(Code));
            table.Append($"| {Code(action.Id)} | {Code(action.ResourceType)} ({Code(action.TargetKey)}) | ")
                .Append(string.Join(", ", new[] { duration, required.Count > 0 ? List(required) : "" }.Where(s => s.Length > 0)) is { Length: > 0 } r ? r : "none")
                .Append($" | {List(optional)} | {permissions} | {action.TargetNeeds} |\n");
        }

        return table.ToString();
    }
}
