// Stand-ins for the Amazon.Lambda stream event types, with exactly the real member names (those packages are absent here).
#pragma warning disable CA1819, CA2227
namespace Amazon.Lambda.KinesisEvents
{
    public class KinesisEvent
    {
        public IList<KinesisEventRecord> Records { get; set; } = new List<KinesisEventRecord>();

        public class KinesisEventRecord
        {
            public string EventSourceARN { get; set; } = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders";

            public Record Kinesis { get; set; } = new();
        }

        public class Record
        {
            public string SequenceNumber { get; set; } = null!;

            public string PartitionKey { get; set; } = "order-1";

            public MemoryStream Data { get; set; } = new();
        }
    }

    public class StreamsEventResponse
    {
        public IList<BatchItemFailure> BatchItemFailures { get; set; } = new List<BatchItemFailure>();

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
        public IList<DynamodbStreamRecord> Records { get; set; } = new List<DynamodbStreamRecord>();

        public class DynamodbStreamRecord
        {
            public string EventName { get; set; } = "INSERT";

            public StreamRecord Dynamodb { get; set; } = new();
        }

        public class StreamRecord
        {
            public string SequenceNumber { get; set; } = null!;
        }
    }
}
