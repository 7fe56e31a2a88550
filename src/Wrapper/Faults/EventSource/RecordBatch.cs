using ServerlessChaos.Wrapper.Lambda;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>The event sources whose batches the event-source faults understand, recognised by the shape of a record.</summary>
internal enum EventSourceKind
{
    /// <summary>Standard SQS queue: records have <c>messageId</c>.</summary>
    Sqs,

    /// <summary>SQS FIFO queue: <c>messageId</c> and an <c>eventSourceARN</c> ending in <c>.fifo</c>.</summary>
    SqsFifo,

    /// <summary>Kinesis Data Streams: <c>kinesis.sequenceNumber</c>.</summary>
    Kinesis,

    /// <summary>DynamoDB Streams: <c>dynamodb.SequenceNumber</c>.</summary>
    DynamoDbStreams,
}

/// <summary>
/// A batch event (<c>Records</c>) read by shape: its source, its records and each record's identifier — the value
/// Lambda expects back as <c>itemIdentifier</c> (message id, or sequence number for streams).
/// </summary>
internal sealed class RecordBatch
{
    private static readonly string[] RecordsPath = ["Records"];
    private static readonly string[] MessageIdPath = ["messageId"];
    private static readonly string[] SourceArnPath = ["eventSourceARN"];
    private static readonly string[] KinesisSequencePath = ["kinesis", "sequenceNumber"];
    private static readonly string[] DynamoDbSequencePath = ["dynamodb", "SequenceNumber"];

    private RecordBatch(object root, EventSourceKind source, object records, List<object?> items, List<string> ids)
    {
        Root = root;
        Source = source;
        Records = records;
        Items = items;
        Ids = ids;
    }

    /// <summary>The whole event (the typed object, or the JSON of a Stream-in handler's event).</summary>
    public object Root { get; }

    public EventSourceKind Source { get; }

    /// <summary>The event's record list itself (a list object, or a JSON array).</summary>
    public object Records { get; }

    public IReadOnlyList<object?> Items { get; }

    public IReadOnlyList<string> Ids { get; }

    /// <summary>Name used in provenance: <c>sqs</c>, <c>sqs-fifo</c>, <c>kinesis</c>, <c>dynamodb-streams</c>.</summary>
    public string SourceName => Source switch
    {
        EventSourceKind.Sqs => "sqs",
        EventSourceKind.SqsFifo => "sqs-fifo",
        EventSourceKind.Kinesis => "kinesis",
        _ => "dynamodb-streams",
    };

    /// <summary>
    /// Whether the source resumes from the earliest reported failure (streams checkpoint there; a FIFO queue must keep
    /// order), so held-back records have to be the batch's last ones or processed records would come back too.
    /// </summary>
    public bool RetriesFromEarliestFailure => Source != EventSourceKind.Sqs;

    /// <summary>Reads the batch, or null when the event is not a batch of one recognised source with an identifier on every record.</summary>
    public static RecordBatch? Read(object? eventRoot)
    {
        var records = EventReader.Navigate(eventRoot, RecordsPath);
        if (records is null or string)
        {
            return null;
        }

        var items = EventReader.Items(records).ToList();
        if (items.Count == 0)
        {
            return null;
        }

        var (source, idPath) = Recognise(items[0]);
        if (idPath is null)
        {
            return null;
        }

        var ids = new List<string>(items.Count);
        foreach (var item in items)
        {
            if (EventReader.ReadText(item, idPath) is not { Length: > 0 } id)
            {
                return null;
            }

            ids.Add(id);
        }

        return new RecordBatch(eventRoot!, source, records, items, ids);
    }

    private static (EventSourceKind Source, string[]? IdPath) Recognise(object? record)
    {
        if (EventReader.ReadText(record, MessageIdPath) is not null)
        {
            var fifo = EventReader.ReadText(record, SourceArnPath)?.EndsWith(".fifo", StringComparison.Ordinal) == true;
            return (fifo ? EventSourceKind.SqsFifo : EventSourceKind.Sqs, MessageIdPath);
        }

        if (EventReader.ReadText(record, KinesisSequencePath) is not null)
        {
            return (EventSourceKind.Kinesis, KinesisSequencePath);
        }

        return EventReader.ReadText(record, DynamoDbSequencePath) is not null
            ? (EventSourceKind.DynamoDbStreams, DynamoDbSequencePath)
            : (EventSourceKind.Sqs, null);
    }
}
