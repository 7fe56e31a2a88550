namespace ServerlessChaos.Samples.SampleApi;

/// <summary>
/// The invocation context, with the member names of Amazon.Lambda.Core's ILambdaContext (which the wrapper reads by
/// shape), so the sample needs no Lambda package. <see cref="RemainingTime"/> counts down to the deadline.
/// </summary>
public sealed class LambdaContext
{
    private readonly TimeProvider clock;
    private readonly DateTimeOffset deadline;

    /// <summary>Creates a context whose invocation must end by <paramref name="deadline"/>.</summary>
    public LambdaContext(string awsRequestId, string functionName, DateTimeOffset deadline, TimeProvider? clock = null)
    {
        AwsRequestId = awsRequestId;
        FunctionName = functionName;
        this.deadline = deadline;
        this.clock = clock ?? TimeProvider.System;
    }

    /// <summary>The request id of this invocation.</summary>
    public string AwsRequestId { get; }

    /// <summary>The function's name.</summary>
    public string FunctionName { get; }

    /// <summary>The function's version.</summary>
    public string FunctionVersion { get; init; } = "$LATEST";

    /// <summary>The ARN the function was invoked with.</summary>
    public string? InvokedFunctionArn { get; init; }

    /// <summary>The function's memory size.</summary>
    public int MemoryLimitInMB { get; init; } = 512;

    /// <summary>The log group.</summary>
    public string? LogGroupName { get; init; }

    /// <summary>The log stream.</summary>
    public string? LogStreamName { get; init; }

    /// <summary>Time left until the invocation's deadline.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            var left = deadline - clock.GetUtcNow();
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}
