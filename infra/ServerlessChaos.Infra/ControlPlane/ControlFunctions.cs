using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SQS;
using Constructs;
using ServerlessChaos.Infra.Fis;
using ServerlessChaos.Infra.Settings;
using ServerlessChaos.Infra.Targets;

namespace ServerlessChaos.Infra.ControlPlane;

/// <summary>Props of <see cref="ControlFunctions"/>.</summary>
public sealed class ControlFunctionsProps
{
    /// <summary>The app settings (names, prefix, halt parameter, memory, timeout, log retention).</summary>
    public required InfraSettings Settings { get; init; }

    /// <summary>The bootstrap code shared by every function.</summary>
    public required Code Code { get; init; }

    /// <summary>The dead-letter queue.</summary>
    public required IQueue DeadLetterQueue { get; init; }

    /// <summary>The steps to create (the catalog plus any the ASL adds).</summary>
    public required IReadOnlyList<ControlStep> Steps { get; init; }

    /// <summary>The ASL's Task timeouts by placeholder; a function's timeout is raised to its Task's (at most 900 s).</summary>
    public IReadOnlyDictionary<string, int> TaskTimeouts { get; init; } = new Dictionary<string, int>();
}

/// <summary>One Lambda function per control step, all running the same bootstrap, each with only its own permissions.</summary>
public sealed class ControlFunctions : Construct
{
    /// <summary>The environment variable with the dead-letter queue URL.</summary>
    public const string DeadLetterQueueVariable = "SERVERLESS_CHAOS_DLQ_URL";

    /// <summary>The environment variable with the halt parameter name.</summary>
    public const string HaltParameterVariable = ChaosConventions.HaltParameterVariable;

    /// <summary>The environment variable with the wrapper parameter prefix.</summary>
    public const string ParameterPrefixVariable = ChaosConventions.ParameterPrefixVariable;

    /// <summary>The environment variable with the rollback ledger prefix.</summary>
    public const string LedgerPrefixVariable = ChaosConventions.LedgerPrefixVariable;

    /// <summary>The environment variable choosing the backends (<c>aws</c> when deployed).</summary>
    public const string BackendVariable = "SERVERLESS_CHAOS_BACKEND";

    /// <summary>The functions by handler name.</summary>
    public readonly IReadOnlyDictionary<string, Function> ByHandler;

    /// <summary>Creates the functions.</summary>
    public ControlFunctions(Construct scope, string id, ControlFunctionsProps props)
        : base(scope, id)
    {
        var settings = props.Settings;
        var functions = new Dictionary<string, Function>(StringComparer.Ordinal);
        foreach (var step in props.Steps)
        {
            var name = $"{settings.NamePrefix}-{step.Handler}";
            var logGroup = new LogGroup(this, $"{step.Handler}-logs", new LogGroupProps
            {
                LogGroupName = $"/aws/lambda/{name}",
                Retention = RetentionPeriods.Of(settings.LogRetentionDays),
                RemovalPolicy = RemovalPolicy.DESTROY,
            });

            // Its own role, writing only to its own log group (instead of the account-wide basic execution policy).
            var role = new Role(this, $"{step.Handler}-role", new RoleProps
            {
                Description = $"ServerlessChaos control step '{step.Handler}'",
                AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            });
            logGroup.GrantWrite(role);

            var function = new Function(this, step.Handler, new FunctionProps
            {
                Role = role,
                FunctionName = name,
                Description = $"ServerlessChaos control step '{step.Handler}': {step.Description}",
                Runtime = Runtime.PROVIDED_AL2023,
                Architecture = Architecture.X86_64,
                Handler = step.Handler,
                Code = props.Code,
                MemorySize = settings.ControlFunctionMemoryMb,
                Timeout = Duration.Seconds(Math.Min(900, Math.Max(settings.ControlFunctionTimeoutSeconds, props.TaskTimeouts.GetValueOrDefault(step.Placeholder)))),
                LogGroup = logGroup,
                Environment = new Dictionary<string, string>
                {
                    [DeadLetterQueueVariable] = props.DeadLetterQueue.QueueUrl,
                    [HaltParameterVariable] = settings.HaltParameter,
                    [ParameterPrefixVariable] = settings.ParameterPrefix,
                    [LedgerPrefixVariable] = settings.LedgerPrefix,
                    [BackendVariable] = "aws",
                },
            });
            Grant(function, step.Access, settings, props.DeadLetterQueue);
            functions[step.Handler] = function;
        }

        ByHandler = functions;
    }

    private static void Grant(Function function, ControlAccess access, InfraSettings settings, IQueue deadLetterQueue)
    {
        var stack = Stack.Of(function);
        void Allow(string sid, string[] actions, string[] resources, Dictionary<string, object>? conditions = null) =>
            function.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps
            {
                Sid = sid,
                Actions = actions,
                Resources = resources,
                Conditions = conditions,
            }));

        string FisArn(string resource) => stack.FormatArn(new ArnComponents { Service = "fis", Resource = resource, ResourceName = "*" });

        if (access.HasFlag(ControlAccess.ReadSettings))
        {
            Allow("ReadChaosSettings", ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                [.. ParameterArns.Under(stack, settings.ParameterPrefix), .. ParameterArns.Under(stack, settings.LedgerPrefix),
                    ParameterArns.Of(stack, settings.HaltParameter)]);
        }

        if (access.HasFlag(ControlAccess.WriteSettings))
        {
            Allow("WriteChaosSettings", ["ssm:PutParameter", "ssm:DeleteParameter"],
                [ParameterArns.Of(stack, settings.ParameterPrefix.TrimEnd('/') + "/*")]);
        }

        if (access.HasFlag(ControlAccess.WriteLedger))
        {
            Allow("WriteRollbackLedger", ["ssm:PutParameter", "ssm:DeleteParameter"],
                [ParameterArns.Of(stack, settings.LedgerPrefix.TrimEnd('/') + "/*")]);
        }

        if (access.HasFlag(ControlAccess.ReadAlarms))
        {
            Allow("ReadAlarms", ["cloudwatch:DescribeAlarms"],
                [stack.FormatArn(new ArnComponents { Service = "cloudwatch", Resource = "alarm", ResourceName = "*", ArnFormat = ArnFormat.COLON_RESOURCE_NAME })]);
        }

        if (access.HasFlag(ControlAccess.ReadExperiments))
        {
            // One statement per resource type: each action gets only ARNs of the type it applies to.
            Allow("ReadExperiments", ["fis:GetExperiment"], [FisArn("experiment")]);
            Allow("ReadExperimentTemplates", ["fis:GetExperimentTemplate"], [FisArn("experiment-template")]);
            // The list actions have no resource type in the Service Authorization Reference (list_awsfaultinjectionservice.html),
            // so only "*" grants them; the steps find templates and experiments by tag through them.
            Allow("ListExperiments", ["fis:ListExperimentTemplates", "fis:ListExperiments"], ["*"]);
        }

        if (access.HasFlag(ControlAccess.StartExperiments))
        {
            // Only templates this project manages; the experiment itself is a new resource, so it has no tag yet.
            Allow("StartManagedTemplates", ["fis:StartExperiment"], [FisArn("experiment-template")], new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { [$"aws:ResourceTag/{ExperimentTemplates.ManagedTagKey}"] = ExperimentTemplates.ManagedTagValue },
            });
            Allow("CreateExperiments", ["fis:StartExperiment", "fis:TagResource"], [FisArn("experiment")]);
        }

        if (access.HasFlag(ControlAccess.StopExperiments))
        {
            // Only experiments the start step tagged as managed: rollback never stops someone else's experiment.
            Allow("StopManagedExperiments", ["fis:StopExperiment"], [FisArn("experiment")], new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { [$"aws:ResourceTag/{ExperimentTemplates.ManagedTagKey}"] = ExperimentTemplates.ManagedTagValue },
            });
        }

        if (access.HasFlag(ControlAccess.SendDeadLetters))
        {
            Allow("SendDeadLetters", ["sqs:SendMessage"], [deadLetterQueue.QueueArn]);
        }

        if (access.HasFlag(ControlAccess.ReadExecutions))
        {
            Allow("ReadExecutions", ["states:DescribeExecution", "states:GetExecutionHistory"],
                [stack.FormatArn(new ArnComponents
                {
                    Service = "states",
                    Resource = "execution",
                    ResourceName = $"{settings.StateMachineName}:*",
                    ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
                })]);
        }
    }
}
