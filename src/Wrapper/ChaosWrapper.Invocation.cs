using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Text.Json;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Lambda;
using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Telemetry;

namespace ServerlessChaos.Wrapper;

/// <summary>One invocation: choose the faults, apply them around the handler (which runs at most once), report them.</summary>
public sealed partial class ChaosWrapper
{
    private static readonly string[] RecordsPath = ["Records"];
    private static readonly string[] MessageIdPath = ["MessageId"];
    private static readonly TimeSpan LambdaMaxDuration = TimeSpan.FromMinutes(15);

    private async Task<TResult> RefreshThenRunAsync<TEvent, [DynamicallyAccessedMembers(ContextMembers)] TContext, TResult>(
        TEvent input, TContext context, Func<TEvent, TContext, Task<TResult>> handler, ResultAdapter<TResult>? results)
    {
        var snapshot = await CurrentOrRefreshedAsync().ConfigureAwait(false);
        if (snapshot is null || _clock.Now() >= snapshot.ArmedUntil)
        {
            return await handler(input, context).ConfigureAwait(false);
        }

        return await RunArmed(snapshot, input, context, ReadableEvent(input, snapshot.Settings), handler, results).ConfigureAwait(false);
    }

    /// <summary>The event as JSON for conditions and SQS message ids, when the settings need it; logs once when it cannot be read.</summary>
    private object? ReadableEvent<TEvent>(TEvent input, ChaosSettings settings)
    {
        if (!settings.NeedsEvent)
        {
            return null;
        }

        var root = _shapes.Readable(input, out var unreadable);
        if (unreadable)
        {
            CannotApply(settings, "match", typeof(TEvent).FullName ?? typeof(TEvent).Name, NoMetadata);
        }

        return root;
    }

    private const string NoMetadata =
        "there is no System.Text.Json metadata for it: set ChaosOptions.JsonTypeInfoResolver to the function's JsonSerializerContext (with this type in it)";

    /// <summary>One log line per settings version and fault for a fault that cannot apply to this function's types.</summary>
    private void CannotApply(ChaosSettings settings, string faultType, string shape, string reason)
    {
        if (_cannotApply.First(settings, faultType + "|" + shape))
        {
            Telemetry.Problem(
                $"The {faultType} fault cannot apply to {shape}: {reason}; it is skipped while these settings last",
                "wrapper");
        }
    }

    private string WhyNot<TResult>(ResultAdapter<TResult> results, string needs) =>
        results is TypedResultAdapter<TResult> && _shapes.TypeInfo<TResult>() is null ? NoMetadata : "it " + needs;

    private async Task<Stream> RunStreamAsync<[DynamicallyAccessedMembers(ContextMembers)] TContext>(
        Stream input, TContext context, Func<Stream, TContext, Task<Stream>> handler)
    {
        var snapshot = await CurrentOrRefreshedAsync().ConfigureAwait(false);
        if (snapshot is null || _clock.Now() >= snapshot.ArmedUntil)
        {
            return await handler(input, context).ConfigureAwait(false);
        }

        object? eventRoot = null;
        if (snapshot.Settings.NeedsEvent)
        {
            // Conditions and SQS message ids need the event: buffer it once, read it as JSON, hand the copy on.
            var buffer = new MemoryStream();
            await input.CopyToAsync(buffer).ConfigureAwait(false);
            buffer.Position = 0;
            try
            {
                using var document = await JsonDocument.ParseAsync(buffer).ConfigureAwait(false);
                eventRoot = document.RootElement.Clone();
            }
            catch (JsonException)
            {
                // Not JSON: conditions read nothing, so they do not match.
            }

            buffer.Position = 0;
            input = buffer;
        }

        return await RunArmed(snapshot, input, context, eventRoot, handler, StreamResultAdapter.Instance).ConfigureAwait(false);
    }

    private async ValueTask<CacheSnapshot?> CurrentOrRefreshedAsync()
    {
        if (_cache is null)
        {
            return CacheSnapshot.NotOptedIn;
        }

        try
        {
            return await _cache.RefreshAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Telemetry.Problem("Chaos settings could not be read; no faults are injected", _cache.SourceDescription, null, ex);
            return null;
        }
    }

    private Task<TResult> RunArmed<TEvent, [DynamicallyAccessedMembers(ContextMembers)] TContext, TResult>(
        CacheSnapshot snapshot, TEvent input, TContext context, object? eventRoot,
        Func<TEvent, TContext, Task<TResult>> handler, ResultAdapter<TResult>? results)
    {
        uint fired;
        uint dryRuns;
        List<DependencyFaultSettings>? dependencies;
        try
        {
            fired = Choose(snapshot.Settings, eventRoot, out dependencies, out dryRuns);
        }
        catch (Exception ex)
        {
            Telemetry.Problem("The chaos wrapper failed to choose faults; the handler runs without chaos", "wrapper", null, ex);
            return handler(input, context);
        }

        return fired == 0 && dryRuns == 0 && dependencies is null
            ? handler(input, context)
            : ExecuteAsync(snapshot.Settings, fired, dryRuns, dependencies, input, context, eventRoot, handler, results);
    }

    /// <summary>
    /// Rolls each fault's rate and checks its conditions; returns a bit per fired fault (at most 32 faults), and in
    /// <paramref name="dryRuns"/> a bit per dry-run fault that would have fired.
    /// </summary>
    private uint Choose(ChaosSettings settings, object? eventRoot, out List<DependencyFaultSettings>? dependencies, out uint dryRuns)
    {
        dependencies = null;
        dryRuns = 0;
        uint fired = 0;
        var faults = settings.Faults;
        for (var i = 0; i < faults.Count; i++)
        {
            var fault = faults[i];
            if (fault.Rate <= 0)
            {
                continue;
            }

            if (fault is DependencyFaultSettings dependency)
            {
                // Dependency faults roll their rate per outbound call; here only the event conditions apply.
                if (Matches(fault, eventRoot))
                {
                    (dependencies ??= []).Add(dependency);
                }

                continue;
            }

            if (_options.Randomizer() < fault.Rate && Matches(fault, eventRoot))
            {
                if (fault.DryRun)
                {
                    dryRuns |= 1u << i;
                }
                else
                {
                    fired |= 1u << i;
                }
            }
        }

        return fired;
    }

    private static bool Matches(FaultSettings fault, object? eventRoot)
    {
        foreach (var condition in fault.Match)
        {
            if (!condition.Accepts(EventReader.ReadText(eventRoot, condition.Segments, condition.CaseSensitive)))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<TResult> ExecuteAsync<TEvent, [DynamicallyAccessedMembers(ContextMembers)] TContext, TResult>(
        ChaosSettings settings, uint fired, uint dryRuns, List<DependencyFaultSettings>? dependencies, TEvent input, TContext context,
        object? eventRoot, Func<TEvent, TContext, Task<TResult>> handler, ResultAdapter<TResult>? typedOrGiven)
    {
        // Null: a typed result, whose adapter is made on the first invocation that gets a fault.
        var results = typedOrGiven ?? _shapes.Results<TResult>();
        var identity = new InvocationIdentity(
            ContextShape<TContext>.FunctionName(context) ?? _options.FunctionName, ContextShape<TContext>.RequestId(context), settings.ExperimentId);
        var wouldInject = ReportDryRuns(settings, dryRuns, identity);
        var deadline = Deadline(ContextShape<TContext>.RemainingTime(context));
        var injected = default(InjectedFaults);
        string? fillPath = null;
        InvocationScope? scope = null;
        try
        {
            Exception? injectedException = null;
            var answered = false;
            TResult response = default!;
            try
            {
                if (AnyFired<LatencyFaultSettings, TimeoutFaultSettings, DiskSpaceFaultSettings>(settings.Faults, fired))
                {
                    // Only then: the common case (a status or exception fault) awaits nothing and allocates nothing here.
                    (fillPath, var before) = await BeforeHandlerAsync(settings, fired, identity, deadline).ConfigureAwait(false);
                    injected.Faults |= before;
                }

                if (dependencies is not null)
                {
                    // Set here, not in a called async method: an AsyncLocal set there would not flow back.
                    scope = new InvocationScope(this, dependencies, identity, deadline);
                    InvocationScope.Current = scope;
                }

                // Also set here, for the same reason: the skew must flow into the handler and end with this invocation.
                SkewClock(settings, fired, identity, ref injected);

                // Terminating faults, first in document order wins: the handler then does not run at all.
                var faults = settings.Faults;
                for (var i = 0; i < faults.Count && !answered && injectedException is null; i++)
                {
                    if ((fired & (1u << i)) == 0)
                    {
                        continue;
                    }

                    if (faults[i] is StatusCodeFaultSettings { RunHandler: false } status)
                    {
                        if (TryCreateStatus(results, status, _options.InjectedHeader, InjectedNames(settings, injected.With(i)), out response))
                        {
                            Telemetry.FaultInjected(status.Type, identity, status.StatusCode, static (json, code) => json.WriteNumber("statusCode", code));
                            answered = true;
                        }
                        else
                        {
                            CannotApply(settings, status.Type, results.Shape, WhyNot(results, "is not an HTTP response (no int statusCode); the handler runs instead"));
                        }
                    }
                    else if (faults[i] is ExceptionFaultSettings exception)
                    {
                        Telemetry.FaultInjected(exception.Type, identity, exception, static (json, fault) =>
                        {
                            json.WriteString("exceptionType", fault.ExceptionType);
                            json.WriteString("exceptionMessage", fault.Message);
                        });
                        injectedException = InjectedExceptions.Create(exception.ExceptionType, exception.Message);
                    }
                }
            }
            catch (Exception ex)
            {
                // A fault that cannot be applied is skipped, never passed on: the handler still answers.
                Telemetry.Problem("The chaos wrapper failed while applying faults; the handler runs without the rest", "wrapper", null, ex);
            }

            if (injectedException is not null)
            {
                throw injectedException;
            }

            if (answered)
            {
                return response;
            }

            var plan = PlanBatch(settings, fired, input, eventRoot, results, identity, ref injected, out var events);
            var result = plan is null
                ? await handler(input, context).ConfigureAwait(false) // The one and only call of the handler.
                : await RunBatchAsync(plan, events!, context, handler, results).ConfigureAwait(false);
            return AfterHandler(result, settings, fired, eventRoot, results, identity, injected, scope, wouldInject);
        }
        finally
        {
            if (fillPath is not null)
            {
                TryDelete(fillPath);
            }
        }
    }

    /// <summary>
    /// Latency, timeout hold and disk fill, in that order; returns the fill file to remove afterwards and a bit per
    /// fault injected (by index).
    /// </summary>
    private async Task<(string? FillPath, uint Injected)> BeforeHandlerAsync(
        ChaosSettings settings, uint fired, InvocationIdentity identity, DateTimeOffset? deadline)
    {
        var time = _options.TimeProvider;
        var faults = settings.Faults;
        var injected = default(InjectedFaults);
        foreach (var fault in Fired<LatencyFaultSettings>(faults, fired))
        {
            var delay = BoundedDelay(fault.MinMs, fault.MaxMs, deadline, fault.AllowPastDeadline);
            Telemetry.FaultInjected(fault.Type, identity, json => json.WriteNumber("delayMs", (long)delay.TotalMilliseconds));
            injected.Add(faults, fault);
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time).ConfigureAwait(false);
            }
        }

        foreach (var fault in Fired<TimeoutFaultSettings>(faults, fired))
        {
            if (deadline is null)
            {
                continue;
            }

            var hold = deadline.Value - time.GetUtcNow() - TimeSpan.FromMilliseconds(fault.BufferMs);
            if (hold > TimeSpan.Zero)
            {
                Telemetry.FaultInjected(fault.Type, identity, json => json.WriteNumber("heldMs", (long)hold.TotalMilliseconds));
                injected.Add(faults, fault);
                await Task.Delay(hold, time).ConfigureAwait(false);
            }
        }

        string? fillPath = null;
        foreach (var fault in Fired<DiskSpaceFaultSettings>(faults, fired))
        {
            if (fillPath is null)
            {
                fillPath = await FillDiskAsync(fault, identity).ConfigureAwait(false);
                injected.Add(faults, fault);
            }
        }

        return (fillPath, injected.Faults);
    }

    /// <summary>
    /// Plans the fired event-source faults for this batch and prepares the event the handler gets; null when none
    /// applies (not a recognised batch, nothing to change, or an event that cannot be rewritten).
    /// </summary>
    private BatchPlan? PlanBatch<TEvent, TResult>(
        ChaosSettings settings, uint fired, TEvent input, object? eventRoot, ResultAdapter<TResult> results,
        InvocationIdentity identity, ref InjectedFaults injected, out Func<TEvent>? events)
    {
        events = null;
        var delay = Fired<DelayRecordsFaultSettings>(settings.Faults, fired).FirstOrDefault();
        var duplicate = Fired<DuplicateRecordsFaultSettings>(settings.Faults, fired).FirstOrDefault();
        var reorder = Fired<ReorderRecordsFaultSettings>(settings.Faults, fired).FirstOrDefault();
        if (delay is null && duplicate is null && reorder is null)
        {
            return null;
        }

        try
        {
            if (delay is not null && !results.CanReportBatchItemFailures)
            {
                // Holding records back without reporting them would lose them: the source would count them as processed.
                Telemetry.Problem("The delayRecords fault needs a handler result that carries batchItemFailures (SQSBatchResponse, StreamsEventResponse or a Stream handler); no records are held back", "wrapper");
                delay = null;
            }

            if (RecordBatch.Read(eventRoot) is not { } batch || BatchPlan.Create(batch, delay, duplicate, reorder, _options.Randomizer) is not { } plan)
            {
                return null;
            }

            events = BatchHandOvers.For<TEvent>(_shapes).Prepare(input, plan);
            if (events is null)
            {
                Telemetry.Problem("The event-source faults could not rewrite this event's Records (no System.Text.Json metadata for the event type: set ChaosOptions.JsonTypeInfoResolver); the handler gets the batch as delivered", "wrapper");
                return null;
            }

            injected.Faults |= ReportBatch(settings, plan, identity);
            return plan;
        }
        catch (Exception ex)
        {
            Telemetry.Problem("The chaos wrapper failed to plan the event-source faults; the handler gets the batch as delivered", "wrapper", null, ex);
            events = null;
            return null;
        }
    }

    /// <summary>Runs the handler on the planned batch (twice when the batch is handed over twice) and reports held-back records.</summary>
    private static async Task<TResult> RunBatchAsync<TEvent, TContext, TResult>(
        BatchPlan plan, Func<TEvent> events, TContext context, Func<TEvent, TContext, Task<TResult>> handler, ResultAdapter<TResult> results)
    {
        var result = default(TResult)!;
        if (!plan.NothingLeft)
        {
            result = await handler(events(), context).ConfigureAwait(false);
            if (plan.HandOverTwice)
            {
                var first = results.BatchItemFailures(ref result);
                result = await handler(events(), context).ConfigureAwait(false);
                if (first.Count > 0)
                {
                    // A record either delivery failed must come back: the source sees one response for both.
                    results.TryAddBatchItemFailures(result, first, out result);
                }
            }
        }

        if (plan.Delayed.Count > 0)
        {
            results.TryAddBatchItemFailures(result, plan.Delayed, out result);
            var reported = new HashSet<string>(results.BatchItemFailures(ref result), StringComparer.Ordinal);
            if (!plan.Delayed.All(reported.Contains))
            {
                // Failing the invocation makes the source deliver the whole batch again; returning would lose the held-back records.
                throw new InvalidOperationException(
                    "ServerlessChaos held back records but could not report them in the handler's result (batchItemFailures); " +
                    "the invocation fails so the event source delivers the whole batch again");
            }
        }

        return result;
    }

    /// <summary>Logs and counts the batch's faults; returns a bit per fault injected (by index).</summary>
    private uint ReportBatch(ChaosSettings settings, BatchPlan plan, InvocationIdentity identity)
    {
        var injected = default(InjectedFaults);
        var source = plan.Batch.SourceName;
        if (plan.Delay is { } delay)
        {
            Telemetry.FaultInjected(delay.Type, identity, json =>
            {
                json.WriteString("source", source);
                WriteRecords(json, plan.Delayed);
                json.WriteNumber("handedOver", plan.Order.Count);
            });
            injected.Add(settings.Faults, delay);
        }

        if (plan.Duplicate is { } duplicate)
        {
            Telemetry.FaultInjected(duplicate.Type, identity, json =>
            {
                json.WriteString("source", source);
                json.WriteString("mode", duplicate.Mode == DuplicateMode.Batch ? "batch" : "records");
                WriteRecords(json, duplicate.Mode == DuplicateMode.Batch ? plan.SeenIds().ToList() : plan.Duplicated);
            });
            injected.Add(settings.Faults, duplicate);
        }

        if (plan.Reorder is { } reorder)
        {
            Telemetry.FaultInjected(reorder.Type, identity, json =>
            {
                json.WriteString("source", source);
                json.WriteString("order", reorder.Order == RecordOrder.Reverse ? "reverse" : "shuffle");
                WriteRecords(json, plan.SeenIds().ToList());
            });
            injected.Add(settings.Faults, reorder);
        }

        return injected.Faults;
    }

    /// <summary>The records touched, by identifier (the first 100: a log line stays readable for a 10 000-record batch).</summary>
    private static void WriteRecords(System.Text.Json.Utf8JsonWriter json, IReadOnlyList<string> ids)
    {
        const int MaxNamed = 100;
        json.WriteNumber("recordCount", ids.Count);
        json.WriteStartArray("records");
        for (var i = 0; i < ids.Count && i < MaxNamed; i++)
        {
            json.WriteStringValue(ids[i]);
        }

        json.WriteEndArray();
    }

    /// <summary>Shifts the function's clock for this invocation by the first fired clockSkew fault, in document order.</summary>
    private void SkewClock(ChaosSettings settings, uint fired, InvocationIdentity identity, ref InjectedFaults injected)
    {
        var faults = settings.Faults;
        for (var i = 0; i < faults.Count; i++)
        {
            if ((fired & (1u << i)) != 0 && faults[i] is ClockSkewFaultSettings skew)
            {
                Skew(settings, i, skew, identity);
                injected = injected.With(i);
                return;
            }
        }
    }

    /// <summary>Applies one clockSkew fault (its own method: the log line's closure is then made only when a skew fired).</summary>
    private void Skew(ChaosSettings settings, int index, ClockSkewFaultSettings skew, InvocationIdentity identity)
    {
        var hit = _functionClock.NextHit(settings, index, skew);
        var offsetMs = skew.OffsetAt(hit);
        _functionClock.Skew(TimeSpan.FromMilliseconds(offsetMs));
        Telemetry.FaultInjected(skew.Type, identity, json =>
        {
            json.WriteNumber("offsetMs", offsetMs);
            json.WriteNumber("driftMs", skew.DriftMs);
            json.WriteNumber("hit", hit + 1);
            json.WriteString("functionTime", _functionClock.GetUtcNow().UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        });
    }

    /// <summary>The invocation's deadline from the context's remaining time; none when absent or beyond Lambda's 15 minutes.</summary>
    private DateTimeOffset? Deadline(TimeSpan? remaining) =>
        remaining is { } left && left <= LambdaMaxDuration ? _options.TimeProvider.GetUtcNow() + (left < TimeSpan.Zero ? TimeSpan.Zero : left) : null;

    private TResult AfterHandler<TResult>(
        TResult result, ChaosSettings settings, uint fired, object? eventRoot, ResultAdapter<TResult> results,
        InvocationIdentity identity, InjectedFaults injected, InvocationScope? scope, List<string>? wouldInject)
    {
        var header = _options.InjectedHeader;
        try
        {
            if (scope?.Injected == true)
            {
                injected.Dependency = true;
            }

            var tagged = false;
            foreach (var status in Fired<StatusCodeFaultSettings>(settings.Faults, fired))
            {
                if (status.RunHandler)
                {
                    var withStatus = injected;
                    withStatus.Add(settings.Faults, status);
                    if (results.TryApplyStatus(result, status, header, InjectedNames(settings, withStatus), out result))
                    {
                        Telemetry.FaultInjected(status.Type, identity, json => json.WriteNumber("statusCode", status.StatusCode));
                        injected = withStatus;
                        tagged = true;
                    }
                    else
                    {
                        CannotApply(settings, status.Type, results.Shape, WhyNot(results, "is not an HTTP response (no int statusCode), or the handler returned null"));
                    }

                    break;
                }
            }

            foreach (var corruption in Fired<CorruptionFaultSettings>(settings.Faults, fired))
            {
                result = Corrupt(result, corruption, results, identity, ref injected, settings.Faults);
            }

            foreach (var sqs in Fired<SqsBatchFailureFaultSettings>(settings.Faults, fired))
            {
                var ids = ChooseMessages(eventRoot, sqs.Share);
                if (ids.Count == 0)
                {
                    continue;
                }

                if (results.TryAddBatchItemFailures(result, ids, out result))
                {
                    Telemetry.FaultInjected(sqs.Type, identity, json => json.WriteNumber("failedItems", ids.Count));
                    injected.Add(settings.Faults, sqs);
                }
                else
                {
                    CannotApply(settings, sqs.Type, results.Shape, WhyNot(results, "has no batchItemFailures list (return SQSBatchResponse)"));
                }
            }

            if (!tagged && injected.Any && !string.IsNullOrEmpty(header))
            {
                result = results.TagHeader(result, header, InjectedNames(settings, injected));
            }

            if (scope?.DryRun == true)
            {
                (wouldInject ??= []).Add(FaultTypes.Dependency);
            }

            if (wouldInject is not null && !string.IsNullOrEmpty(_options.DryRunHeader))
            {
                result = results.TagHeader(result, _options.DryRunHeader, string.Join(",", wouldInject));
            }
        }
        catch (Exception ex)
        {
            Telemetry.Problem("The chaos wrapper failed to change the handler's result; it is returned unchanged", "wrapper", null, ex);
        }

        return result;
    }

    /// <summary>Logs and counts each dry-run fault that would have fired; returns their types, or null when none.</summary>
    private List<string>? ReportDryRuns(ChaosSettings settings, uint dryRuns, InvocationIdentity identity)
    {
        if (dryRuns == 0)
        {
            return null;
        }

        var types = new List<string>(1);
        for (var i = 0; i < settings.Faults.Count; i++)
        {
            if ((dryRuns & (1u << i)) != 0)
            {
                Telemetry.FaultInjected(settings.Faults[i].Type, identity, dryRun: true);
                types.Add(settings.Faults[i].Type);
            }
        }

        return types;
    }

    /// <summary>Replaces or garbles the body of an HTTP-shaped result; any other result is returned unchanged, and logged.</summary>
    private TResult Corrupt<TResult>(
        TResult result, CorruptionFaultSettings fault, ResultAdapter<TResult> results, InvocationIdentity identity,
        ref InjectedFaults injected, IReadOnlyList<FaultSettings> faults)
    {
        var random = _options.Randomizer();
        if (!results.TryRewriteBody(result, body => fault.Corrupt(body, random), out var changed))
        {
            Telemetry.Problem("The corruption fault needs an HTTP-shaped result (statusCode and body); the result is returned unchanged", "wrapper");
            return result;
        }

        Telemetry.FaultInjected(fault.Type, identity, json => json.WriteString("method", fault.Body is null ? "garble" : "replace"));
        injected.Add(faults, fault);
        return changed;
    }

    private bool TryCreateStatus<TResult>(ResultAdapter<TResult> results, StatusCodeFaultSettings fault, string? header, string headerValue, out TResult response)
    {
        try
        {
            return results.TryCreateStatus(fault, header, headerValue, out response);
        }
        catch (Exception ex)
        {
            Telemetry.Problem("The chaos wrapper could not build the status-code response; the handler runs instead", "wrapper", null, ex);
            response = default!;
            return false;
        }
    }

    /// <summary>A delay between <paramref name="minMs"/> and <paramref name="maxMs"/>, cut to end before the deadline unless allowed.</summary>
    internal TimeSpan BoundedDelay(int minMs, int maxMs, DateTimeOffset? deadline, bool allowPastDeadline)
    {
        var milliseconds = maxMs > minMs ? minMs + ((maxMs - minMs) * _options.Randomizer()) : minMs;
        var delay = TimeSpan.FromMilliseconds(milliseconds);
        if (!allowPastDeadline && deadline is not null)
        {
            var available = deadline.Value - _options.TimeProvider.GetUtcNow() - _options.DeadlineMargin;
            if (available < TimeSpan.Zero)
            {
                available = TimeSpan.Zero;
            }

            if (delay > available)
            {
                delay = available;
            }
        }

        return delay;
    }

    private List<string> ChooseMessages(object? eventRoot, double share)
    {
        var ids = new List<string>();
        foreach (var record in EventReader.Items(EventReader.Navigate(eventRoot, RecordsPath)))
        {
            if (EventReader.ReadText(record, MessageIdPath) is { } id)
            {
                ids.Add(id);
            }
        }

        // Random but reproducible in tests: the picks come from the injected randomizer.
        var count = RandomChoice.Portion(share, ids.Count);
        return [.. RandomChoice.Shuffle(ids.Count, count, _options.Randomizer).Take(count).Select(i => ids[i])];
    }

    private async Task<string?> FillDiskAsync(DiskSpaceFaultSettings fault, InvocationIdentity identity)
    {
        var path = Path.Combine(_options.TempDirectory, $"serverless-chaos-fill-{Guid.NewGuid():N}.bin");
        long written = 0;
        try
        {
            var chunk = new byte[1024 * 1024];
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            for (var i = 0; i < fault.Megabytes; i++)
            {
                await file.WriteAsync(chunk).ConfigureAwait(false);
                written += chunk.Length;
            }

            await file.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // A full disk is the point of this fault: keep what was written.
        }
        catch (Exception ex)
        {
            Telemetry.Problem("The disk-space fault could not write its file", "wrapper", null, ex);
        }

        Telemetry.FaultInjected(fault.Type, identity, json =>
        {
            json.WriteNumber("megabytes", fault.Megabytes);
            json.WriteNumber("bytesWritten", written);
            json.WriteString("path", path);
        });
        return path;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex)
        {
            Telemetry.Problem("The disk-space fault could not remove its file", "wrapper", null, ex);
        }
    }

    /// <summary>
    /// The fault types in the order <see cref="ExecuteAsync"/> applies them (before the handler, the batch, then after
    /// it): the injected header names the faults in this order, those of one type in document order, as they were applied.
    /// </summary>
    private static readonly string[] ApplicationOrder =
    [
        FaultTypes.Latency, FaultTypes.Timeout, FaultTypes.DiskSpace, FaultTypes.ClockSkew, FaultTypes.DelayRecords,
        FaultTypes.DuplicateRecords, FaultTypes.ReorderRecords, FaultTypes.Dependency, FaultTypes.StatusCode,
        FaultTypes.Corruption, FaultTypes.SqsBatchFailure,
    ];

    /// <summary>The last header value made from more than one fault: the same faults fire together again and again.</summary>
    private volatile InjectedHeaderValue? _lastInjectedNames;

    private sealed record InjectedHeaderValue(ChaosSettings Settings, InjectedFaults Injected, string Text);

    /// <summary>The value of the header naming the injected faults (one fault: its type, nothing made).</summary>
    private string InjectedNames(ChaosSettings settings, InjectedFaults injected)
    {
        var faults = settings.Faults;
        if (!injected.Dependency && BitOperations.PopCount(injected.Faults) == 1)
        {
            return faults[BitOperations.TrailingZeroCount(injected.Faults)].Type;
        }

        if (injected.Faults == 0)
        {
            return injected.Dependency ? FaultTypes.Dependency : "";
        }

        if (_lastInjectedNames is { } last && ReferenceEquals(last.Settings, settings) && last.Injected == injected)
        {
            return last.Text;
        }

        var names = new List<string>();
        foreach (var type in ApplicationOrder)
        {
            if (type == FaultTypes.Dependency)
            {
                if (injected.Dependency)
                {
                    names.Add(type);
                }

                continue;
            }

            for (var i = 0; i < faults.Count; i++)
            {
                if ((injected.Faults & (1u << i)) != 0 && faults[i].Type == type)
                {
                    names.Add(type);
                }
            }
        }

        var text = string.Join(",", names);
        _lastInjectedNames = new InjectedHeaderValue(settings, injected, text);
        return text;
    }

    private static bool AnyFired<TFirst, TSecond, TThird>(IReadOnlyList<FaultSettings> faults, uint fired)
    {
        for (var i = 0; i < faults.Count; i++)
        {
            if ((fired & (1u << i)) != 0 && faults[i] is TFirst or TSecond or TThird)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<TFault> Fired<TFault>(IReadOnlyList<FaultSettings> faults, uint fired)
        where TFault : FaultSettings
    {
        for (var i = 0; i < faults.Count; i++)
        {
            if ((fired & (1u << i)) != 0 && faults[i] is TFault fault)
            {
                yield return fault;
            }
        }
    }
}
