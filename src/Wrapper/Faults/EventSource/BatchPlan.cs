namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// What the event-source faults of one invocation do to its batch, decided before the handler runs: the records the
/// handler sees (positions into the delivered batch, in order, possibly repeated), those held back, and whether the
/// batch is handed over twice. Held back first, then duplicated, then reordered.
/// </summary>
internal sealed class BatchPlan
{
    private BatchPlan(RecordBatch batch) => Batch = batch;

    public RecordBatch Batch { get; }

    /// <summary>Positions into <see cref="RecordBatch.Items"/> of the records the handler sees, in the order it sees them.</summary>
    public List<int> Order { get; } = [];

    public DelayRecordsFaultSettings? Delay { get; private set; }

    /// <summary>Identifiers of the held-back records, to report in <c>batchItemFailures</c>.</summary>
    public List<string> Delayed { get; } = [];

    public DuplicateRecordsFaultSettings? Duplicate { get; private set; }

    /// <summary>Identifiers of the records repeated in the batch (records mode).</summary>
    public List<string> Duplicated { get; } = [];

    /// <summary>Whether the handler is given the batch twice (batch mode).</summary>
    public bool HandOverTwice => Duplicate?.Mode == DuplicateMode.Batch;

    public ReorderRecordsFaultSettings? Reorder { get; private set; }

    /// <summary>Whether the records the handler sees differ from the delivered batch.</summary>
    public bool Rewrites => Delay is not null || Duplicated.Count > 0 || Reorder is not null;

    /// <summary>Whether no record is left for the handler (everything held back): it then does not run.</summary>
    public bool NothingLeft => Order.Count == 0;

    /// <summary>
    /// Plans the fired faults (first of each type in document order; null when not fired). Returns null when none of
    /// them changes anything for this batch (a one-record batch cannot be reordered, say).
    /// </summary>
    public static BatchPlan? Create(
        RecordBatch batch, DelayRecordsFaultSettings? delay, DuplicateRecordsFaultSettings? duplicate, ReorderRecordsFaultSettings? reorder,
        Func<double> random)
    {
        var plan = new BatchPlan(batch);
        var count = batch.Items.Count;
        var held = new bool[count];
        if (delay is not null && RandomChoice.Portion(delay.Share, count) is var holdCount and > 0)
        {
            // Streams and FIFO queues resume from the earliest failure on: hold back the tail, or processed records would return too.
            var chosen = batch.RetriesFromEarliestFailure
                ? Enumerable.Range(count - holdCount, holdCount)
                : RandomChoice.Shuffle(count, holdCount, random).Take(holdCount).Order();
            foreach (var position in chosen)
            {
                held[position] = true;
                plan.Delayed.Add(batch.Ids[position]);
            }

            plan.Delay = delay;
        }

        for (var i = 0; i < count; i++)
        {
            if (!held[i])
            {
                plan.Order.Add(i);
            }
        }

        if (duplicate is not null && plan.Order.Count > 0)
        {
            if (duplicate.Mode == DuplicateMode.Batch)
            {
                plan.Duplicate = duplicate;
            }
            else if (RandomChoice.Portion(duplicate.Share, plan.Order.Count) is var repeatCount and > 0)
            {
                // The copies arrive after the rest of the batch, as a redelivery would.
                var picks = RandomChoice.Shuffle(plan.Order.Count, repeatCount, random);
                var repeated = picks.Take(repeatCount).Order().Select(k => plan.Order[k]).ToList();
                plan.Order.AddRange(repeated);
                plan.Duplicated.AddRange(repeated.Select(position => batch.Ids[position]));
                plan.Duplicate = duplicate;
            }
        }

        if (reorder is not null && plan.Order.Count > 1)
        {
            if (reorder.Order == RecordOrder.Reverse)
            {
                plan.Order.Reverse();
            }
            else
            {
                var shuffled = RandomChoice.Shuffle(plan.Order.Count, plan.Order.Count, random);
                var before = plan.Order.ToArray();
                for (var k = 0; k < shuffled.Length; k++)
                {
                    plan.Order[k] = before[shuffled[k]];
                }
            }

            plan.Reorder = reorder;
        }

        return plan.Delay is null && plan.Duplicate is null && plan.Reorder is null ? null : plan;
    }

    /// <summary>Identifiers of the records the handler sees, in order.</summary>
    public IEnumerable<string> SeenIds() => Order.Select(position => Batch.Ids[position]);
}
