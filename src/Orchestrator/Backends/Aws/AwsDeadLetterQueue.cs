using Amazon.SQS;
using Amazon.SQS.Model;

namespace ServerlessChaos.Orchestrator.Backends.Aws;

/// <summary>The SQS dead-letter queue through the AWS SDK.</summary>
public sealed class AwsDeadLetterQueue(IAmazonSQS sqs, string? queueUrl) : IDeadLetterQueue
{
    /// <inheritdoc />
    public Task<string> SendAsync(string body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(queueUrl))
        {
            throw new Steps.ControlFunctionException(Steps.ErrorTypes.InvalidState, "SERVERLESS_CHAOS_DLQ_URL is not set: the dead-letter function needs the queue URL");
        }

        return AwsCall.RunAsync("deadLetters", "Send", async () =>
            (await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body }, cancellationToken).ConfigureAwait(false)).MessageId);
    }
}
