using Amazon.Lambda.Core;

namespace ServerlessChaos.Wrapper.Tests.Support;

/// <summary>A Lambda context whose remaining time follows the test's manual clock.</summary>
public sealed class TestLambdaContext(ManualTimeProvider? clock = null, TimeSpan? remaining = null) : ILambdaContext
{
    private readonly DateTimeOffset _deadline = (clock?.GetUtcNow() ?? DateTimeOffset.UtcNow) + (remaining ?? TimeSpan.FromSeconds(30));

    public string AwsRequestId { get; set; } = "req-1";

    public IClientContext ClientContext => null!;

    public string FunctionName { get; set; } = "checkout";

    public string FunctionVersion => "$LATEST";

    public ICognitoIdentity Identity => null!;

    public string InvokedFunctionArn => "arn:aws:lambda:eu-west-1:123456789012:function:checkout";

    public ILambdaLogger Logger => null!;

    public string LogGroupName => "/aws/lambda/checkout";

    public string LogStreamName => "stream";

    public int MemoryLimitInMB => 512;

    public TimeSpan RemainingTime => _deadline - (clock?.GetUtcNow() ?? DateTimeOffset.UtcNow);
}
