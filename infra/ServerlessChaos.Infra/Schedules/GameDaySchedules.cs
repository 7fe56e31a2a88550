using System.Text.Json.Nodes;
using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Scheduler;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra.Schedules;

/// <summary>Props of <see cref="GameDaySchedules"/>.</summary>
public sealed class GameDaySchedulesProps
{
    /// <summary>Prefix of the schedule group name.</summary>
    public required string NamePrefix { get; init; }

    /// <summary>The repository root the input files are read from.</summary>
    public required string RepositoryRoot { get; init; }

    /// <summary>The schedules.</summary>
    public required IReadOnlyList<ScheduleSettings> Schedules { get; init; }

    /// <summary>The experiment state machine the schedules start.</summary>
    public required IStateMachine StateMachine { get; init; }

    /// <summary>Where a start that keeps failing ends.</summary>
    public required IQueue DeadLetterQueue { get; init; }
}

/// <summary>
/// Scheduled game days: EventBridge Scheduler schedules (in a time zone) that start the experiment state machine
/// with an input file from <c>events/experiments/</c>, retrying and then dead-lettering a start that fails.
/// </summary>
public sealed class GameDaySchedules : Construct
{
    /// <summary>The schedule group.</summary>
    public readonly CfnScheduleGroup Group;

    /// <summary>The role the scheduler starts executions with.</summary>
    public readonly Role Role;

    /// <summary>The schedules by name.</summary>
    public readonly IReadOnlyDictionary<string, CfnSchedule> ByName;

    /// <summary>Creates the group, the role and one schedule per setting.</summary>
    public GameDaySchedules(Construct scope, string id, GameDaySchedulesProps props)
        : base(scope, id)
    {
        var stack = Stack.Of(this);
        Group = new CfnScheduleGroup(this, "Group", new CfnScheduleGroupProps { Name = $"{props.NamePrefix}-game-days" });

        Role = new Role(this, "Role", new RoleProps
        {
            Description = "EventBridge Scheduler starts ServerlessChaos game days with this role",
            AssumedBy = new ServicePrincipal("scheduler.amazonaws.com", new ServicePrincipalOpts
            {
                Conditions = new Dictionary<string, object>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
                },
            }),
        });
        props.StateMachine.GrantStartExecution(Role);
        // The scheduler delivers undeliverable events to the DLQ with this role.
        Role.AddToPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "SendDeadLetters",
            Actions = ["sqs:SendMessage"],
            Resources = [props.DeadLetterQueue.QueueArn],
        }));

        var schedules = new Dictionary<string, CfnSchedule>(StringComparer.Ordinal);
        foreach (var settings in props.Schedules)
        {
            // Compact the file: the target input is limited to 8 KB.
            var input = JsonNode.Parse(File.ReadAllText(Path.Combine(props.RepositoryRoot, settings.InputFile)))!.ToJsonString();
            var schedule = new CfnSchedule(this, settings.Name, new CfnScheduleProps
            {
                Name = settings.Name,
                GroupName = Group.Name,
                Description = $"ServerlessChaos game day: starts {props.StateMachine.StateMachineArn} with {settings.InputFile}",
                ScheduleExpression = settings.Expression,
                ScheduleExpressionTimezone = settings.TimeZone,
                State = settings.Enabled ? "ENABLED" : "DISABLED",
                FlexibleTimeWindow = new CfnSchedule.FlexibleTimeWindowProperty { Mode = "OFF" },
                Target = new CfnSchedule.TargetProperty
                {
                    Arn = props.StateMachine.StateMachineArn,
                    RoleArn = Role.RoleArn,
                    Input = input,
                    RetryPolicy = new CfnSchedule.RetryPolicyProperty
                    {
                        MaximumRetryAttempts = settings.MaximumRetryAttempts,
                        MaximumEventAgeInSeconds = settings.MaximumEventAgeSeconds,
                    },
                    DeadLetterConfig = new CfnSchedule.DeadLetterConfigProperty { Arn = props.DeadLetterQueue.QueueArn },
                },
            });
            schedule.AddDependency(Group);
            schedules[settings.Name] = schedule;
        }

        ByName = schedules;
    }
}
