// The real Amazon.Lambda event types' names and shapes (APIGatewayEvents, ApplicationLoadBalancerEvents, SQSEvents,
// KinesisEvents, DynamoDBEvents),
// nested classes and lists included, declared here because this function may not reference those packages.
#pragma warning disable CA1002, CA1034, CA1056, CA1819, CA2227
namespace Amazon.Lambda.APIGatewayEvents
{
    public class APIGatewayHttpApiV2ProxyRequest
    {
        public string RawPath { get; set; } = null!;

        public IDictionary<string, string> Headers { get; set; } = null!;

        public ProxyRequestContext RequestContext { get; set; } = null!;

        public string Body { get; set; } = null!;

        public class ProxyRequestContext
        {
            public string RequestId { get; set; } = null!;

            public HttpDescription Http { get; set; } = null!;
        }

        public class HttpDescription
        {
            public string Method { get; set; } = null!;

            public string Path { get; set; } = null!;
        }
    }

    public class APIGatewayHttpApiV2ProxyResponse
    {
        public int StatusCode { get; set; }

        public IDictionary<string, string> Headers { get; set; } = null!;

        public string[] Cookies { get; set; } = null!;

        public string Body { get; set; } = null!;

        public bool IsBase64Encoded { get; set; }
    }

    public class APIGatewayProxyRequest
    {
        public string Resource { get; set; } = null!;

        public string Path { get; set; } = null!;

        public string HttpMethod { get; set; } = null!;

        public IDictionary<string, string> Headers { get; set; } = null!;

        public ProxyRequestContext RequestContext { get; set; } = null!;

        public string Body { get; set; } = null!;

        public class ProxyRequestContext
        {
            public string RequestId { get; set; } = null!;

            public string HttpMethod { get; set; } = null!;

            public string Path { get; set; } = null!;
        }
    }

    public class APIGatewayProxyResponse
    {
        public int StatusCode { get; set; }

        public IDictionary<string, string> Headers { get; set; } = null!;

        public IDictionary<string, IList<string>> MultiValueHeaders { get; set; } = null!;

        public string Body { get; set; } = null!;

        public bool IsBase64Encoded { get; set; }
    }
}

namespace Amazon.Lambda.ApplicationLoadBalancerEvents
{
    public class ApplicationLoadBalancerRequest
    {
        public ALBRequestContext RequestContext { get; set; } = null!;

        public string HttpMethod { get; set; } = null!;

        public string Path { get; set; } = null!;

        public IDictionary<string, string> Headers { get; set; } = null!;

        public string Body { get; set; } = null!;

        public class ALBRequestContext
        {
            public ElbInfo Elb { get; set; } = null!;
        }

        public class ElbInfo
        {
            public string TargetGroupArn { get; set; } = null!;
        }
    }

    public class ApplicationLoadBalancerResponse
    {
        public int StatusCode { get; set; }

        public string StatusDescription { get; set; } = null!;

        public IDictionary<string, string> Headers { get; set; } = null!;

        public IDictionary<string, IList<string>> MultiValueHeaders { get; set; } = null!;

        public string Body { get; set; } = null!;

        public bool IsBase64Encoded { get; set; }
    }
}

namespace Amazon.Lambda.SQSEvents
{
    public class SQSEvent
    {
        public List<SQSMessage> Records { get; set; } = null!;

        public class SQSMessage
        {
            public string MessageId { get; set; } = null!;

            public string ReceiptHandle { get; set; } = null!;

            public string Body { get; set; } = null!;

            public string EventSourceArn { get; set; } = null!;
        }
    }

    public class SQSBatchResponse
    {
        public SQSBatchResponse() : this([])
        {
        }

        public SQSBatchResponse(List<BatchItemFailure> batchItemFailures) => BatchItemFailures = batchItemFailures;

        public List<BatchItemFailure> BatchItemFailures { get; set; }

        public class BatchItemFailure
        {
            public string ItemIdentifier { get; set; } = null!;
        }
    }
}

namespace Amazon.Lambda.KinesisEvents
{
    public class KinesisEvent
    {
        public IList<KinesisEventRecord> Records { get; set; } = null!;

        public class KinesisEventRecord
        {
            public string EventId { get; set; } = null!;

            public string EventSourceARN { get; set; } = null!;

            public Record Kinesis { get; set; } = null!;
        }

        public class Record
        {
            public string SequenceNumber { get; set; } = null!;

            public string PartitionKey { get; set; } = null!;

            public MemoryStream Data { get; set; } = null!;
        }
    }

    public class StreamsEventResponse
    {
        public IList<BatchItemFailure> BatchItemFailures { get; set; } = null!;

        public class BatchItemFailure
        {
            public string ItemIdentifier { get; set; } = null!;
        }
    }
}

namespace Amazon.Lambda.DynamoDBEvents
{
    public class DynamoDBEvent
    {
        public IList<DynamodbStreamRecord> Records { get; set; } = null!;

        public class DynamodbStreamRecord
        {
            public string EventID { get; set; } = null!;

            public string EventName { get; set; } = null!;

            public string EventSourceArn { get; set; } = null!;

            public StreamRecord Dynamodb { get; set; } = null!;
        }

        public class StreamRecord
        {
            public string SequenceNumber { get; set; } = null!;

            public Dictionary<string, AttributeValue> Keys { get; set; } = null!;
        }

        public class AttributeValue
        {
            public string S { get; set; } = null!;
        }
    }
}
