using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Lambda;

/// <summary>What the wrapper can do with one handler result type, found from its shape.</summary>
internal abstract class ResultAdapter<TResult>
{
    /// <summary>Makes the HTTP response a status-code fault answers with when the handler does not run.</summary>
    public abstract bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out TResult result);

    /// <summary>Overrides the handler's HTTP response with the fault's status code (and body and headers, when set).</summary>
    public abstract TResult ApplyStatus(TResult result, StatusCodeFaultSettings fault, string? header, string headerValue);

    /// <summary>Adds the header naming the injected faults, when the result is an HTTP response.</summary>
    public abstract TResult TagHeader(TResult result, string header, string headerValue);

    /// <summary>Adds <paramref name="messageIds"/> to the result's <c>batchItemFailures</c>.</summary>
    public abstract TResult AddBatchItemFailures(TResult result, IReadOnlyList<string> messageIds);

    /// <summary>Replaces an HTTP response's body with what <paramref name="rewrite"/> makes of it.</summary>
    public abstract bool TryRewriteBody(TResult result, Func<string?, string?> rewrite, out TResult changed);

    /// <summary>Whether this result type can carry <c>batchItemFailures</c> (what the delayRecords fault reports into).</summary>
    public abstract bool CanReportBatchItemFailures { get; }

    /// <summary>The <c>itemIdentifier</c>s in the result's <c>batchItemFailures</c>; a Stream result is replaced by a rewound copy.</summary>
    public abstract IReadOnlyList<string> BatchItemFailures(ref TResult result);

    /// <summary>Reason line for a status phrase (ALB's <c>statusDescription</c>).</summary>
    protected static string StatusDescription(int statusCode) =>
        $"{statusCode} {ReasonPhrase(statusCode)}";

    private static string ReasonPhrase(int statusCode) => statusCode switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Injected",
    };
}

/// <summary>For handlers with no result (<c>Task</c>): nothing to override.</summary>
internal sealed class NoResultAdapter : ResultAdapter<NoResult>
{
    public static NoResultAdapter Instance { get; } = new();

    public override bool TryCreateStatus(StatusCodeFaultSettings fault, string? header, string headerValue, out NoResult result)
    {
        result = default;
        return false;
    }

    public override NoResult ApplyStatus(NoResult result, StatusCodeFaultSettings fault, string? header, string headerValue) => result;

    public override NoResult TagHeader(NoResult result, string header, string headerValue) => result;

    public override NoResult AddBatchItemFailures(NoResult result, IReadOnlyList<string> messageIds) => result;

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
