using System.Text.Json;
using ServerlessChaos.Wrapper.Lambda;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>Gives the handler the batch a <see cref="BatchPlan"/> describes, once per handler call, for one event type.</summary>
internal abstract class BatchHandOver<TEvent>
{
    /// <summary>
    /// Prepares the event the handler gets; the returned function yields it for each handler call (twice for a batch
    /// handed over twice). Null when this event cannot be rewritten: the faults are then skipped.
    /// </summary>
    public abstract Func<TEvent>? Prepare(TEvent input, BatchPlan plan);
}

/// <summary>The hand-over for an event type: Stream-in handlers edit JSON, typed events are rewritten through their JSON metadata.</summary>
internal static class BatchHandOvers
{
    public static BatchHandOver<TEvent> For<TEvent>(JsonShapes shapes) => typeof(TEvent) == typeof(Stream)
        ? (BatchHandOver<TEvent>)(object)StreamBatchHandOver.Instance
        : new TypedBatchHandOver<TEvent>(shapes);
}

/// <summary>
/// Typed events (<c>SQSEvent</c>, <c>KinesisEvent</c>, <c>DynamoDBEvent</c>): a new event with its <c>Records</c> in the
/// planned order, made through the function's JSON metadata (<see cref="JsonShapes"/>), so it works under Native AOT.
/// </summary>
internal sealed class TypedBatchHandOver<TEvent> : BatchHandOver<TEvent>
{
    private readonly JsonShapes _shapes;

    public TypedBatchHandOver(JsonShapes shapes) => _shapes = shapes;

    public override Func<TEvent>? Prepare(TEvent input, BatchPlan plan)
    {
        if (!plan.Rewrites)
        {
            return () => input;
        }

        // The records as planned: positions index the event's Records as read (the same JSON the metadata writes).
        if (!_shapes.TryRewrite(input, json => EventRecords.Rewrite(json, records => plan.Order.Select(position => records[position])), out var rewritten))
        {
            return null;
        }

        return () => rewritten;
    }
}

/// <summary>Stream-in handlers: the event JSON is written again with its <c>Records</c> array in the planned order.</summary>
internal sealed class StreamBatchHandOver : BatchHandOver<Stream>
{
    public static StreamBatchHandOver Instance { get; } = new();

    public override Func<Stream>? Prepare(Stream input, BatchPlan plan)
    {
        byte[] bytes;
        if (plan.Rewrites)
        {
            if (plan.Batch.Records is not JsonElement || plan.Batch.Root is not JsonElement { ValueKind: JsonValueKind.Object } root)
            {
                return null;
            }

            var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                var written = false;
                foreach (var property in root.EnumerateObject())
                {
                    if (!written && string.Equals(property.Name, "Records", StringComparison.OrdinalIgnoreCase))
                    {
                        json.WriteStartArray(property.Name);
                        foreach (var position in plan.Order)
                        {
                            ((JsonElement)plan.Batch.Items[position]!).WriteTo(json);
                        }

                        json.WriteEndArray();
                        written = true;
                    }
                    else
                    {
                        property.WriteTo(json);
                    }
                }

                json.WriteEndObject();
            }

            bytes = buffer.ToArray();
        }
        else if (input is MemoryStream memory)
        {
            // Unchanged but handed over twice: each call gets its own copy (ToArray works even after the handler disposed it).
            bytes = memory.ToArray();
        }
        else
        {
            return null;
        }

        return () => new MemoryStream(bytes, writable: false);
    }
}
