using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Aws.Tests.Support;

/// <summary>Options pointed at a local server, with fixed credentials, a fixed clock and recorded retry delays.</summary>
public sealed class TestClients
{
    public static readonly DateTimeOffset FixedTime = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);

    public List<TimeSpan> Delays { get; } = [];

    public ManualTimeProvider Clock { get; } = new(FixedTime);

    public AwsClientOptions Options(Uri endpoint, int maxAttempts = 3, TimeSpan? timeout = null, double random = 0.5) => new()
    {
        Region = "us-east-1",
        Credentials = new StaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "session-token"),
        Endpoint = endpoint,
        Timeout = timeout ?? TimeSpan.FromSeconds(30),
        TimeProvider = Clock,
        Retry = new AwsRetryOptions
        {
            MaxAttempts = maxAttempts,
            Random = () => random,
            Delay = (delay, _) =>
            {
                lock (Delays)
                {
                    Delays.Add(delay);
                }

                return Task.CompletedTask;
            },
        },
    };
}
