namespace ServerlessChaos.Orchestrator.Runtime;

/// <summary>One invocation, as the Lambda Runtime API described it.</summary>
public sealed class LambdaContext
{
    private readonly TimeProvider time;

    /// <summary>Creates the context.</summary>
    public LambdaContext(string requestId, DateTimeOffset deadline, string? invokedFunctionArn, string? traceId, TimeProvider time, CancellationToken cancellationToken)
    {
        AwsRequestId = requestId;
        Deadline = deadline;
        InvokedFunctionArn = invokedFunctionArn;
        TraceId = traceId;
        this.time = time;
        CancellationToken = cancellationToken;
    }

    /// <summary>The request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</summary>
    public string AwsRequestId { get; }

    /// <summary>When Lambda ends the invocation (<c>Lambda-Runtime-Deadline-Ms</c>).</summary>
    public DateTimeOffset Deadline { get; }

    /// <summary>The function ARN (<c>Lambda-Runtime-Invoked-Function-Arn</c>).</summary>
    public string? InvokedFunctionArn { get; }

    /// <summary>The X-Ray trace header (<c>Lambda-Runtime-Trace-Id</c>).</summary>
    public string? TraceId { get; }

    /// <summary>Time left before the deadline, by the injected clock.</summary>
    public TimeSpan RemainingTime => Deadline - time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero;

    /// <summary>Cancelled shortly before the deadline, so the step can still report its error.</summary>
    public CancellationToken CancellationToken { get; }
}
