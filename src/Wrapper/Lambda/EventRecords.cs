using System.Text.Json.Nodes;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// Rewrites the <c>Records</c> list of an event's JSON (SQS, Kinesis, DynamoDB Streams, SNS, S3): remove, duplicate or
/// reorder elements. With <see cref="JsonShapes.TryRewrite{T}"/> it rewrites typed events too:
/// <c>shapes.TryRewrite(input, json =&gt; EventRecords.Rewrite(json, records =&gt; [.. records, records[0]]), out var changed)</c>.
/// </summary>
internal static class EventRecords
{
    /// <summary>
    /// Replaces the records with what <paramref name="rewrite"/> returns (it may repeat a record: repeats are copied).
    /// False when the JSON has no <c>Records</c> array.
    /// </summary>
    public static bool Rewrite(JsonNode root, Func<IReadOnlyList<JsonNode?>, IEnumerable<JsonNode?>> rewrite)
    {
        if (root is not JsonObject json || JsonResponse.Find(json, "Records", out _) is not JsonArray records)
        {
            return false;
        }

        var before = new List<JsonNode?>(records.Count);
        foreach (var record in records)
        {
            before.Add(record);
        }

        records.Clear();
        var used = new HashSet<JsonNode>(ReferenceEqualityComparer.Instance);
        foreach (var record in rewrite(before))
        {
            // A node has one parent: the second use of a record is a deep copy.
            records.Add(record is null || used.Add(record) ? record : record.DeepClone());
        }

        return true;
    }
}
