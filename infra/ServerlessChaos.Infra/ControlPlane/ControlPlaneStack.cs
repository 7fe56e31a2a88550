using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.SSM;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using ServerlessChaos.Infra.DeadLetters;
using ServerlessChaos.Infra.Fis;
using ServerlessChaos.Infra.Schedules;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra.ControlPlane;

/// <summary>Props of <see cref="ControlPlaneStack"/>.</summary>
public sealed class ControlPlaneStackProps : StackProps
{
    /// <summary>The validated app settings.</summary>
    public required InfraSettings Settings { get; init; }
}

/// <summary>
/// The control plane: the experiment state machine from the repository's ASL file, its control functions, the
/// dead-letter queue, the halt parameter, the clean-up rule for stopped/failed executions, FIS templates and schedules.
/// </summary>
public sealed class ControlPlaneStack : Stack
{
    /// <summary>The dead-letter queue and its alarm.</summary>
    public readonly DeadLetterQueue DeadLetters;

    /// <summary>The halt parameter (<c>false</c> until someone halts).</summary>
    public readonly StringParameter HaltParameter;

    /// <summary>The control functions.</summary>
    public readonly ControlFunctions Functions;

    /// <summary>The experiment state machine.</summary>
    public readonly StateMachine StateMachine;

    /// <summary>The rule that runs the clean-up function when an execution is ABORTED, TIMED_OUT or FAILED.</summary>
    public readonly Rule CleanupRule;

    /// <summary>The FIS templates from the settings, or null when there are none.</summary>
    public readonly ExperimentTemplates? Templates;

    /// <summary>The game-day schedules, or null when there are none.</summary>
    public readonly GameDaySchedules? Schedules;

    /// <summary>Creates the stack.</summary>
    /// <exception cref="InfraSettingsException">The ASL file or a setting cannot be deployed.</exception>
    public ControlPlaneStack(Construct scope, string id, ControlPlaneStackProps props)
        : base(scope, id, props)
    {
        var settings = props.Settings;
        var definition = StateMachineDefinition.Load(settings.RepositoryRoot);

        DeadLetters = new DeadLetterQueue(this, "DeadLetters", new DeadLetterQueueProps { NamePrefix = settings.NamePrefix });

        HaltParameter = new StringParameter(this, "Halt", new StringParameterProps
        {
            ParameterName = settings.HaltParameter,
            Description = "ServerlessChaos global halt: any value other than empty, false, 0 or off stops every fault and experiment",
            StringValue = "false",
        });

        // The catalog's steps, plus any ${<Step>FunctionArn} the orchestrator's ASL adds.
        var known = ControlSteps.All.Select(s => s.Placeholder).ToHashSet(StringComparer.Ordinal);
        var extra = StateMachineDefinition.Placeholders(definition)
            .Where(p => p.EndsWith("FunctionArn", StringComparison.Ordinal) && p.Length > "FunctionArn".Length && !known.Contains(p))
            .Select(ControlSteps.Unknown)
            .ToList();
        foreach (var step in extra)
        {
            Annotations.Of(this).AddWarningV2("serverless-chaos:unknown-step",
                $"{StateMachineDefinition.RelativePath} uses ${{{step.Placeholder}}}: created function '{step.Handler}' with read access to the chaos settings only");
        }

        Functions = new ControlFunctions(this, "ControlFunctions", new ControlFunctionsProps
        {
            Settings = settings,
            Code = BootstrapAsset.For(this, settings),
            DeadLetterQueue = DeadLetters.Queue,
            Steps = [.. ControlSteps.All, .. extra],
            TaskTimeouts = StateMachineDefinition.TaskTimeouts(definition),
        });

        var substitutions = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["DeadLetterQueueUrl"] = DeadLetters.Queue.QueueUrl,
            ["DeadLetterQueueArn"] = DeadLetters.Queue.QueueArn,
            ["HaltParameterName"] = settings.HaltParameter,
            ["ParameterPrefix"] = settings.ParameterPrefix,
            ["LedgerPrefix"] = settings.LedgerPrefix,
        };
        foreach (var step in ControlSteps.All.Concat(extra))
        {
            substitutions[step.Placeholder] = Functions.ByHandler[step.Handler].FunctionArn;
        }

        StateMachineDefinition.CheckSubstituted(definition, substitutions);

        var logs = new LogGroup(this, "StateMachineLogs", new Amazon.CDK.AWS.Logs.LogGroupProps
        {
            LogGroupName = $"/aws/vendedlogs/states/{settings.StateMachineName}",
            Retention = RetentionPeriods.Of(settings.LogRetentionDays),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        StateMachine = new StateMachine(this, "Experiment", new StateMachineProps
        {
            StateMachineName = settings.StateMachineName,
            StateMachineType = StateMachineType.STANDARD,
            // The file's text goes into the template as is; CloudFormation fills in the ${...} placeholders.
            DefinitionBody = DefinitionBody.FromString(definition),
            DefinitionSubstitutions = substitutions.Where(s => definition.Contains("${" + s.Key + "}", StringComparison.Ordinal))
                .ToDictionary(s => s.Key, s => s.Value),
            Logs = new LogOptions { Destination = logs, Level = LogLevel.ALL, IncludeExecutionData = true },
            TracingEnabled = true,
        });
        // The state machine may invoke exactly the functions its definition names.
        foreach (var step in ControlSteps.All.Concat(extra).Where(s => definition.Contains("${" + s.Placeholder + "}", StringComparison.Ordinal)))
        {
            Functions.ByHandler[step.Handler].GrantInvoke(StateMachine);
        }

        if (StateMachineDefinition.Integrates(definition, "sqs:sendMessage"))
        {
            DeadLetters.Queue.GrantSendMessages(StateMachine);
        }

        // Executions stopped from the console, timed out or failed never reach their own rollback: clean up after them.
        CleanupRule = new Rule(this, "CleanupAfterStoppedExecutions", new RuleProps
        {
            Description = "Runs the ServerlessChaos clean-up function when an experiment execution is ABORTED, TIMED_OUT or FAILED",
            EventPattern = new EventPattern
            {
                Source = ["aws.states"],
                DetailType = ["Step Functions Execution Status Change"],
                Detail = new Dictionary<string, object>
                {
                    ["status"] = new[] { "ABORTED", "TIMED_OUT", "FAILED" },
                    ["stateMachineArn"] = new[] { StateMachine.StateMachineArn },
                },
            },
        });
        CleanupRule.AddTarget(new LambdaFunction(Functions.ByHandler["cleanup"], new LambdaFunctionProps
        {
            DeadLetterQueue = DeadLetters.Queue,
            RetryAttempts = 4,
            MaxEventAge = Duration.Hours(2),
        }));

        if (settings.ExperimentTemplates.Count > 0)
        {
            Templates = new ExperimentTemplates(this, "ExperimentTemplates", new ExperimentTemplatesProps
            {
                NamePrefix = settings.NamePrefix,
                Templates = settings.ExperimentTemplates,
                LogRetentionDays = settings.LogRetentionDays,
            });
        }

        if (settings.Schedules.Count > 0)
        {
            Schedules = new GameDaySchedules(this, "GameDays", new GameDaySchedulesProps
            {
                NamePrefix = settings.NamePrefix,
                RepositoryRoot = settings.RepositoryRoot,
                Schedules = settings.Schedules,
                StateMachine = StateMachine,
                DeadLetterQueue = DeadLetters.Queue,
            });
        }

        _ = new CfnOutput(this, "StateMachineArn", new CfnOutputProps { Value = StateMachine.StateMachineArn, Description = "Start experiments here" });
        _ = new CfnOutput(this, "DeadLetterQueueUrl", new CfnOutputProps { Value = DeadLetters.Queue.QueueUrl });
        _ = new CfnOutput(this, "HaltParameterName", new CfnOutputProps { Value = HaltParameter.ParameterName });
        _ = new CfnOutput(this, "ParameterPrefix", new CfnOutputProps { Value = settings.ParameterPrefix });
    }
}
