namespace ServerlessChaos.Benchmarks;

// Shapes of the Amazon.Lambda types the wrapper works with (those packages are not available here).

/// <summary>Shape of ILambdaContext's members the wrapper reads.</summary>
public sealed class WrapperBenchContext
{
    public string AwsRequestId { get; set; } = "req";

    public string FunctionName { get; set; } = "bench";

    public TimeSpan RemainingTime { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Shape of APIGatewayHttpApiV2ProxyResponse.</summary>
public sealed class WrapperBenchResponse
{
    public int StatusCode { get; set; }

    public IDictionary<string, string>? Headers { get; set; }

    public string[]? Cookies { get; set; }

    public string? Body { get; set; }

    public bool IsBase64Encoded { get; set; }
}

/// <summary>Shape of APIGatewayHttpApiV2ProxyRequest (the parts a condition might read).</summary>
public sealed class WrapperBenchRequest
{
    public string RawPath { get; set; } = "/orders";
}

/// <summary>A clock the simulations move by hand.</summary>
public sealed class WrapperSimulatedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public override long GetTimestamp() => Now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
