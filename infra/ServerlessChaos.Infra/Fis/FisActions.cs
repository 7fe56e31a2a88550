namespace ServerlessChaos.Infra.Fis;

/// <summary>What a FIS action acts on, which decides the FIS role's permissions.</summary>
public enum FisTargetKind
{
    /// <summary><c>aws:ecs:task</c>, stopped through the ECS API.</summary>
    EcsTaskApi,

    /// <summary><c>aws:ecs:task</c>, reached through SSM Run Command on the task's SSM agent sidecar.</summary>
    EcsTaskSsm,

    /// <summary><c>aws:lambda:function</c>, reached through the FIS Lambda extension and its S3 configuration.</summary>
    LambdaFunction,
}

/// <summary>One FIS action the templates support.</summary>
/// <param name="Id">The FIS action id.</param>
/// <param name="ResourceType">The FIS target resource type.</param>
/// <param name="TargetKey">The key the action's <c>Targets</c> map uses.</param>
/// <param name="Kind">How FIS reaches the target.</param>
/// <param name="HasDuration">Whether the action takes a <c>duration</c> parameter.</param>
/// <param name="Parameters">Parameters the action accepts besides <c>duration</c>.</param>
/// <param name="RequiredParameters">Parameters it cannot run without.</param>
public sealed record FisAction(
    string Id,
    string ResourceType,
    string TargetKey,
    FisTargetKind Kind,
    bool HasDuration,
    IReadOnlyList<string> Parameters,
    IReadOnlyList<string> RequiredParameters);

/// <summary>The FIS actions ServerlessChaos templates can use (ids and parameters from the FIS actions reference).</summary>
public static class FisActions
{
    /// <summary>Stops ECS tasks (the service replaces them).</summary>
    public static readonly FisAction EcsStopTask = new(
        "aws:ecs:stop-task", "aws:ecs:task", "Tasks", FisTargetKind.EcsTaskApi, HasDuration: false, [], []);

    /// <summary>CPU stress inside ECS tasks; needs the SSM agent sidecar and <c>pidMode: task</c>.</summary>
    public static readonly FisAction EcsTaskCpuStress = new(
        "aws:ecs:task-cpu-stress", "aws:ecs:task", "Tasks", FisTargetKind.EcsTaskSsm, HasDuration: true,
        ["percent", "workers", "installDependencies"], []);

    /// <summary>Network latency inside ECS tasks; needs the SSM agent sidecar and <c>pidMode: task</c>.</summary>
    public static readonly FisAction EcsTaskNetworkLatency = new(
        "aws:ecs:task-network-latency", "aws:ecs:task", "Tasks", FisTargetKind.EcsTaskSsm, HasDuration: true,
        ["delayMilliseconds", "jitterMilliseconds", "sources", "installDependencies", "useEcsFaultInjectionEndpoints"], []);

    /// <summary>Replaces a Lambda's response with an HTTP integration response (how FIS reaches API Gateway).</summary>
    public static readonly FisAction LambdaHttpIntegrationResponse = new(
        "aws:lambda:invocation-http-integration-response", "aws:lambda:function", "Functions", FisTargetKind.LambdaFunction,
        HasDuration: true, ["invocationPercentage", "statusCode", "contentTypeHeader", "preventExecution"], ["statusCode"]);

    /// <summary>Delays the start of Lambda invocations.</summary>
    public static readonly FisAction LambdaAddDelay = new(
        "aws:lambda:invocation-add-delay", "aws:lambda:function", "Functions", FisTargetKind.LambdaFunction,
        HasDuration: true, ["invocationPercentage", "startupDelayMilliseconds"], []);

    /// <summary>Fails Lambda invocations.</summary>
    public static readonly FisAction LambdaError = new(
        "aws:lambda:invocation-error", "aws:lambda:function", "Functions", FisTargetKind.LambdaFunction,
        HasDuration: true, ["invocationPercentage", "preventExecution"], []);

    /// <summary>Every supported action.</summary>
    public static IReadOnlyList<FisAction> All { get; } =
        [EcsStopTask, EcsTaskCpuStress, EcsTaskNetworkLatency, LambdaHttpIntegrationResponse, LambdaAddDelay, LambdaError];

    /// <summary>The action with this id, or null.</summary>
    public static FisAction? Find(string id) => All.FirstOrDefault(a => a.Id == id);
}
