using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>
/// What the wrapper can do with one handler result type. Every "Try" method returns false when the fault cannot apply
/// to this result (not HTTP-shaped, no batch list, no JSON metadata): the caller logs that once per settings version.
/// </summary>
internal abstract class ResultAdapter<TResult>
{
    /// <summary>A name for log lines: the result type.</summary>
    public virtual string Shape => typeof(TResult).FullName ?? typeof(TResult).Name;

    /// <summary>Makes the HTTP response a status-code fault answers with when the handler does not run.</summary>
    public abstract bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out TResult result);

    /// <summary>Overrides the handler's HTTP response with the fault's status code (and body and headers, when set).</summary>
    public abstract bool TryApplyStatus(TResult result, StatusCodeFaultSettings fault, string? header, string headerValue, out TResult changed);

    /// <summary>Adds the header naming the injected faults, when the result is an HTTP response (otherwise unchanged).</summary>
    public abstract TResult TagHeader(TResult result, string header, string headerValue);

    /// <summary>Adds <paramref name="messageIds"/> to the result's <c>batchItemFailures</c> (a null result becomes a batch response).</summary>
    public abstract bool TryAddBatchItemFailures(TResult result, IReadOnlyList<string> messageIds, out TResult changed);

    /// <summary>Replaces an HTTP response's body with what <paramref name="rewrite"/> makes of it.</summary>
    public abstract bool TryRewriteBody(TResult result, Func<string?, string?> rewrite, out TResult changed);

    /// <summary>Whether this result type can carry <c>batchItemFailures</c> (what the delayRecords fault reports into).</summary>
    public abstract bool CanReportBatchItemFailures { get; }

    /// <summary>The <c>itemIdentifier</c>s in the result's <c>batchItemFailures</c>; a Stream result is replaced by a rewound copy.</summary>
    public abstract IReadOnlyList<string> BatchItemFailures(ref TResult result);
}

/// <summary>Typed results (the real API Gateway, ALB and SQS batch response types by shape), edited through their JSON metadata.</summary>
internal sealed class TypedResultAdapter<TResult> : ResultAdapter<TResult>
{
    private readonly JsonShapes _shapes;
    private readonly bool _isHttp;
    private readonly bool _isBatch;

    public TypedResultAdapter(JsonShapes shapes)
    {
        _shapes = shapes;
        _isHttp = shapes.HasMember<TResult>("statusCode", typeof(int));
        _isBatch = shapes.HasMember<TResult>("batchItemFailures");
    }

    public override bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out TResult result)
    {
        result = default!;
        if (!_isHttp || _shapes.TypeInfo<TResult>() is not { } info)
        {
            return false;
        }

        // The answer is the same for every invocation of one settings version: build it as JSON once, then each
        // invocation gets a fresh instance of what those bytes read as (copied from the values read once when the type
        // is a plain object, as API Gateway's and ALB's responses are; else read from the bytes), no JSON tree per call.
        var answer = _answer;
        if (answer is null || !ReferenceEquals(answer.Fault, fault) || answer.Header != header || answer.HeaderValue != headerValue)
        {
            answer = BuildAnswer(info, fault, header, headerValue);
            if (answer is null)
            {
                return false;
            }

            _answer = answer;
        }

        result = answer.Copy is { } copy ? copy.Next() : System.Text.Json.JsonSerializer.Deserialize(answer.Json, info)!;
        return result is not null;
    }

    /// <summary>
    /// The answer's JSON and copier (a method of its own: the edit's closure would otherwise be allocated on every
    /// invocation that enters <see cref="TryCreateStatus"/>, not only when the answer is built).
    /// </summary>
    private StatusAnswer? BuildAnswer(
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<TResult> info, StatusCodeFaultSettings fault, string? header, string headerValue)
    {
        if (!_shapes.TryRewrite(default(TResult)!, json =>
            {
                JsonResponse.Answer((System.Text.Json.Nodes.JsonObject)json, fault, header, headerValue);
                return true;
            }, out var built))
        {
            return null;
        }

        var json = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(built, info);
        return new StatusAnswer(fault, header, headerValue, json, FreshCopy<TResult>.TryCreate(info, json));
    }

    /// <summary>The last status answer built, as JSON: swapped whole, so concurrent invocations read a consistent one.</summary>
    private volatile StatusAnswer? _answer;

    private sealed record StatusAnswer(StatusCodeFaultSettings Fault, string? Header, string HeaderValue, byte[] Json, FreshCopy<TResult>? Copy);

    public override bool TryApplyStatus(TResult result, StatusCodeFaultSettings fault, string? header, string headerValue, out TResult changed)
    {
        changed = result;
        return _isHttp && result is not null && _shapes.TryRewrite(result, json =>
        {
            JsonResponse.ApplyStatus((System.Text.Json.Nodes.JsonObject)json, fault, header, headerValue);
            return true;
        }, out changed);
    }

    public override TResult TagHeader(TResult result, string header, string headerValue)
    {
        if (_isHttp && result is not null && _shapes.TryRewrite(result, json =>
            {
                JsonResponse.SetHeader((System.Text.Json.Nodes.JsonObject)json, header, headerValue);
                return true;
            }, out var changed))
        {
            return changed;
        }

        return result;
    }

    public override bool TryAddBatchItemFailures(TResult result, IReadOnlyList<string> messageIds, out TResult changed)
    {
        changed = result;
        return _isBatch && _shapes.TryRewrite(result, json => JsonResponse.AddBatchItemFailures(json, messageIds), out changed);
    }

    public override bool CanReportBatchItemFailures => _isBatch;

    public override IReadOnlyList<string> BatchItemFailures(ref TResult result)
    {
        var ids = new List<string>();
        var read = result;
        if (_isBatch && read is not null)
        {
            // Read through the same JSON rewrite, declining the edit: nothing changes.
            _shapes.TryRewrite(read, json =>
            {
                ids.AddRange(JsonResponse.BatchItemFailures(json));
                return false;
            }, out _);
        }

        return ids;
    }

    public override bool TryRewriteBody(TResult result, Func<string?, string?> rewrite, out TResult changed)
    {
        changed = result;
        return _isHttp && result is not null && _shapes.TryRewrite(result, json =>
        {
            JsonResponse.RewriteBody((System.Text.Json.Nodes.JsonObject)json, rewrite);
            return true;
        }, out changed);
    }
}

/// <summary>For handlers with no result (<c>Task</c>): nothing to override.</summary>
internal sealed class NoResultAdapter : ResultAdapter<NoResult>
{
    public static NoResultAdapter Instance { get; } = new();

    public override string Shape => "no result (Task)";

    public override bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out NoResult result)
    {
        result = default;
        return false;
    }

    public override bool TryApplyStatus(NoResult result, StatusCodeFaultSettings fault, string? header, string headerValue, out NoResult changed)
    {
        changed = result;
        return false;
    }

    public override NoResult TagHeader(NoResult result, string header, string headerValue) => result;

    public override bool TryAddBatchItemFailures(NoResult result, IReadOnlyList<string> messageIds, out NoResult changed)
    {
        changed = result;
        return false;
    }

    public override bool TryRewriteBody(NoResult result, Func<string?, string?> rewrite, out NoResult changed)
    {
        changed = result;
        return false;
    }

    public override bool CanReportBatchItemFailures => false;

    public override IReadOnlyList<string> BatchItemFailures(ref NoResult result) => [];
}

/// <summary>The result of a handler that returns no value.</summary>
internal readonly struct NoResult;
