using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace ServerlessChaos.Infra.DeadLetters;

/// <summary>Props of <see cref="DeadLetterQueue"/>.</summary>
public sealed class DeadLetterQueueProps
{
    /// <summary>Prefix of the queue and alarm names.</summary>
    public required string NamePrefix { get; init; }
}

/// <summary>
/// Where every asynchronous failure ends: the state machine's Catch path (through the dead-letter function),
/// the clean-up rule's target and the schedule targets. Encrypted, kept 14 days, and alarmed on the first message.
/// </summary>
public sealed class DeadLetterQueue : Construct
{
    /// <summary>The queue.</summary>
    public readonly Queue Queue;

    /// <summary>In ALARM as soon as one message is waiting.</summary>
    public readonly Alarm NotEmptyAlarm;

    /// <summary>Creates the queue and its alarm.</summary>
    public DeadLetterQueue(Construct scope, string id, DeadLetterQueueProps props)
        : base(scope, id)
    {
        Queue = new Queue(this, "Queue", new QueueProps
        {
            QueueName = $"{props.NamePrefix}-dead-letters",
            // SQS-managed keys: EventBridge and Scheduler can deliver to it without a KMS key policy.
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        NotEmptyAlarm = new Alarm(this, "NotEmpty", new AlarmProps
        {
            AlarmName = $"{props.NamePrefix}-dead-letters-not-empty",
            AlarmDescription = "A ServerlessChaos experiment, schedule or clean-up failed: read the message in the dead-letter queue.",
            Metric = Queue.MetricApproximateNumberOfMessagesVisible(new MetricOptions
            {
                Period = Duration.Minutes(1),
                Statistic = "Maximum",
            }),
            Threshold = 1,
            EvaluationPeriods = 1,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
    }
}
