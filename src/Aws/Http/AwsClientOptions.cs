using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Credentials;

namespace ServerlessChaos.Aws.Http;

/// <summary>How a client reaches and signs for AWS. Every client takes one of these.</summary>
public sealed class AwsClientOptions
{
    /// <summary>The region, e.g. <c>eu-west-1</c>. Required.</summary>
    public string? Region { get; init; }

    /// <summary>Where credentials come from. Required.</summary>
    public IAwsCredentialsProvider? Credentials { get; init; }

    /// <summary>
    /// An explicit endpoint for the service. Defaults to null: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>,
    /// then <c>AWS_ENDPOINT_URL</c> (read from <see cref="Environment"/>), then the regional endpoint.
    /// </summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The environment endpoint overrides are read from. Defaults to the real process environment.</summary>
    public IAwsEnvironment Environment { get; init; } = SystemAwsEnvironment.Instance;

    /// <summary>The HttpClient to send with (its own Timeout is not used). Defaults to a shared one.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>A handler to send with when <see cref="HttpClient"/> is not set (e.g. for tests).</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>
    /// The limit for each attempt (sending, waiting, and reading the whole reply).
    /// Defaults to 10 seconds. A timed-out attempt is retried like a network error.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Retry settings. Defaults to 3 attempts, 100 ms base delay, full jitter.</summary>
    public AwsRetryOptions Retry { get; init; } = new();

    /// <summary>The clock used for signing, timeouts and credential expiry. Defaults to <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>How failed attempts are retried: exponential backoff with full jitter.</summary>
public sealed class AwsRetryOptions
{
    /// <summary>Total attempts including the first. Defaults to 3; 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The backoff base: before retry n the cap is BaseDelay × 2^(n-1). Defaults to 100 ms.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest delay between attempts. Defaults to 20 seconds.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A random number in [0, 1) that scales each delay (full jitter). Defaults to <see cref="Random.Shared"/>.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;

    /// <summary>
    /// Waits between attempts. Defaults to null: <c>Task.Delay</c> on the options' TimeProvider.
    /// Tests set it to record the delays without waiting.
    /// </summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }
}
