using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Aws.Tests.Http;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 1.0, 100)]
    [InlineData(2, 1.0, 200)]
    [InlineData(3, 1.0, 400)]
    [InlineData(3, 0.25, 100)]
    [InlineData(3, 0.0, 0)]
    [InlineData(20, 1.0, 20_000)]
    [InlineData(20, 0.5, 10_000)]
    public void Full_jitter_takes_a_random_share_of_the_exponential_cap(int attempt, double random, double expectedMs)
    {
        var retry = new AwsRetryOptions { Random = () => random };

        AwsRequestPipeline.BackoffDelay(attempt, retry).TotalMilliseconds.ShouldBe(expectedMs, tolerance: 0.001);
    }

    [Fact]
    public void A_random_source_out_of_range_cannot_push_the_delay_past_the_cap()
    {
        var retry = new AwsRetryOptions { Random = () => 7, MaxDelay = TimeSpan.FromSeconds(1) };

        AwsRequestPipeline.BackoffDelay(30, retry).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Options_that_cannot_work_are_rejected_naming_the_setting()
    {
        var credentials = new ServerlessChaos.Aws.Credentials.StaticCredentialsProvider("AKID", "secret");
        Should.Throw<ArgumentException>(() => new ServerlessChaos.Aws.StepFunctions.StepFunctionsClient(new AwsClientOptions { Credentials = credentials }))
            .Message.ShouldContain("AwsClientOptions.Region is required");
        Should.Throw<ArgumentException>(() => new ServerlessChaos.Aws.StepFunctions.StepFunctionsClient(new AwsClientOptions { Region = "us-east-1" }))
            .Message.ShouldContain("AwsClientOptions.Credentials is required");
        Should.Throw<ArgumentException>(() => new ServerlessChaos.Aws.StepFunctions.StepFunctionsClient(new AwsClientOptions { Region = "us-east-1", Credentials = credentials, Retry = new AwsRetryOptions { MaxAttempts = 0 } }))
            .Message.ShouldContain("MaxAttempts must be at least 1 (was 0)");
        Should.Throw<ArgumentException>(() => new ServerlessChaos.Aws.StepFunctions.StepFunctionsClient(new AwsClientOptions { Region = "us-east-1", Credentials = credentials, Timeout = TimeSpan.Zero }))
            .Message.ShouldContain("Timeout must be positive");
    }
}
