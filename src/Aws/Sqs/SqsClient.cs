using System.Security.Cryptography;
using System.Text;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.Signing;

namespace ServerlessChaos.Aws.Sqs;

/// <summary>A message attribute: a data type (<c>String</c>, <c>Number</c>, ...) and a string value.</summary>
/// <param name="DataType"><c>String</c>, <c>Number</c>, or a custom <c>String.x</c> / <c>Number.x</c> type.</param>
/// <param name="StringValue">The value.</param>
public sealed record SqsMessageAttribute(string DataType, string StringValue)
{
    /// <summary>A string attribute.</summary>
    public static SqsMessageAttribute String(string value) => new("String", value);

    /// <summary>A number attribute.</summary>
    public static SqsMessageAttribute Number(long value) => new("Number", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>What to send.</summary>
public sealed record SqsSendMessageRequest
{
    /// <summary>The queue URL (from GetQueueUrl or the stack outputs).</summary>
    public required string QueueUrl { get; init; }

    /// <summary>The body (up to 256 KiB).</summary>
    public required string MessageBody { get; init; }

    /// <summary>Message attributes by name (at most 10).</summary>
    public IReadOnlyDictionary<string, SqsMessageAttribute> MessageAttributes { get; init; } = new Dictionary<string, SqsMessageAttribute>();

    /// <summary>Delay before the message is visible, 0–900 seconds; null for the queue default.</summary>
    public int? DelaySeconds { get; init; }

    /// <summary>The message group (FIFO queues only).</summary>
    public string? MessageGroupId { get; init; }

    /// <summary>The deduplication id (FIFO queues without content-based deduplication).</summary>
    public string? MessageDeduplicationId { get; init; }
}

/// <summary>Amazon SQS (AWS JSON 1.0, <c>X-Amz-Target: AmazonSQS.*</c>, query-compatible errors).</summary>
public sealed class SqsClient
{
    private readonly JsonProtocol _protocol;

    /// <summary>Creates the client.</summary>
    public SqsClient(AwsClientOptions options)
    {
        _protocol = new JsonProtocol(new AwsRequestPipeline(AwsServiceDescription.Sqs, options), "AmazonSQS", "1.0", queryCompatible: true);
    }

    /// <summary>A client configured from the standard AWS environment (see <see cref="AwsClientOptions.FromEnvironment"/>).</summary>
    public static SqsClient FromEnvironment(IAwsEnvironment? environment = null) => new(AwsClientOptions.FromEnvironment(environment));

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _protocol.Pipeline.Endpoint;

    /// <summary>The URL of a queue by name.</summary>
    /// <exception cref="AwsServiceException"><c>AWS.SimpleQueueService.NonExistentQueue</c> when there is no such queue.</exception>
    public Task<string> GetQueueUrlAsync(string queueName, string? ownerAccountId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        return _protocol.CallAsync(
            "GetQueueUrl",
            w =>
            {
                w.WriteString("QueueName", queueName);
                if (ownerAccountId is not null)
                {
                    w.WriteString("QueueOwnerAWSAccountId", ownerAccountId);
                }
            },
            root => Json.RequiredString(root, "QueueUrl", ""),
            cancellationToken);
    }

    /// <summary>Sends a message and returns its id. The body's MD5 in the reply is checked.</summary>
    public Task<string> SendMessageAsync(SqsSendMessageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.QueueUrl);
        ArgumentNullException.ThrowIfNull(request.MessageBody);
        if (request.DelaySeconds is < 0 or > 900)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"DelaySeconds must be between 0 and 900 (was {request.DelaySeconds})");
        }

        if (request.MessageAttributes.Count > 10)
        {
            throw new ArgumentException($"MessageAttributes may hold at most 10 attributes (was {request.MessageAttributes.Count})", nameof(request));
        }

        return _protocol.CallAsync(
            "SendMessage",
            w =>
            {
                w.WriteString("QueueUrl", request.QueueUrl);
                w.WriteString("MessageBody", request.MessageBody);
                if (request.DelaySeconds is not null)
                {
                    w.WriteNumber("DelaySeconds", request.DelaySeconds.Value);
                }

                if (request.MessageAttributes.Count > 0)
                {
                    w.WriteStartObject("MessageAttributes");
                    foreach (var (name, attribute) in request.MessageAttributes)
                    {
                        w.WriteStartObject(name);
                        w.WriteString("DataType", attribute.DataType);
                        w.WriteString("StringValue", attribute.StringValue);
                        w.WriteEndObject();
                    }

                    w.WriteEndObject();
                }

                if (request.MessageDeduplicationId is not null)
                {
                    w.WriteString("MessageDeduplicationId", request.MessageDeduplicationId);
                }

                if (request.MessageGroupId is not null)
                {
                    w.WriteString("MessageGroupId", request.MessageGroupId);
                }
            },
            root =>
            {
                var id = Json.RequiredString(root, "MessageId", "");
                var md5 = Json.String(root, "MD5OfMessageBody", "");
                var expected = Hex.Lower(MD5.HashData(Encoding.UTF8.GetBytes(request.MessageBody)));
                if (md5 is not null && !string.Equals(md5, expected, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ResponseShapeException($"MD5OfMessageBody is {md5} but the body sent hashes to {expected}: the message was altered in transit");
                }

                return id;
            },
            cancellationToken);
    }
}
