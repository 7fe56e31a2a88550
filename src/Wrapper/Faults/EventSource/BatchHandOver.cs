using System.Collections;
using System.Text.Json;

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

/// <summary>The hand-over for an event type: Stream-in handlers edit JSON, every other type its <c>Records</c> list.</summary>
internal static class BatchHandOvers
{
    public static BatchHandOver<TEvent> For<TEvent>() => Cache<TEvent>.Instance;

    private static class Cache<TEvent>
    {
        public static readonly BatchHandOver<TEvent> Instance = typeof(TEvent) == typeof(Stream)
            ? (BatchHandOver<TEvent>)(object)StreamBatchHandOver.Instance
            : ObjectBatchHandOver<TEvent>.Instance;
    }
}

/// <summary>Typed events (<c>SQSEvent</c>, <c>KinesisEvent</c>, <c>DynamoDBEvent</c>): their <c>Records</c> list is rewritten in place.</summary>
internal sealed class ObjectBatchHandOver<TEvent> : BatchHandOver<TEvent>
{
    public static ObjectBatchHandOver<TEvent> Instance { get; } = new();

    public override Func<TEvent>? Prepare(TEvent input, BatchPlan plan)
    {
        if (plan.Rewrites)
        {
            // Lambda deserializes a fresh event for every invocation, so editing its list touches nothing else.
            if (plan.Batch.Records is not IList list || list.IsReadOnly || list.IsFixedSize)
            {
                return null;
            }

            list.Clear();
            foreach (var position in plan.Order)
            {
                list.Add(plan.Batch.Items[position]);
            }
        }

        return () => input;
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
