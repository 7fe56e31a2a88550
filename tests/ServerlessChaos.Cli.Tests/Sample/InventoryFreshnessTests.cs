using ServerlessChaos.Samples.SampleApi;
using ServerlessChaos.Samples.SampleApi.ApiGateway;
using ServerlessChaos.Wrapper;
using ServerlessChaos.Wrapper.Sources;

namespace ServerlessChaos.Cli.Tests.Sample;

// The sample's time-sensitive path: GET /orders/{id} refuses inventory counts older than 30 s by its own clock,
// which is the wrapper's Time, so a clockSkew fault reaches it (the clock-skew game day's target).
public class InventoryFreshnessTests
{
    private static readonly ManualTimeProvider Clock = new();

    private static SampleApiFunction Create(string settings) =>
        SampleApiFunction.Create(new ChaosWrapper(new InMemorySettingsSource(settings), new ChaosOptions { TimeProvider = Clock, LogWriter = TextWriter.Null, Randomizer = () => 0.5 }), null);

    private static string Skewed(long offsetMs) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{Clock.GetUtcNow().AddMinutes(5):yyyy-MM-ddTHH:mm:ssZ}}","faults":[{"type":"clockSkew","rate":1,"offsetMs":{{offsetMs}}}]}""";

    private static Task<APIGatewayProxyResponse> GetOrder(SampleApiFunction function) =>
        function.Handler(new APIGatewayProxyRequest { HttpMethod = "GET", Path = "/orders/42" }, new LambdaContext("req-1", "sample-api", Clock.GetUtcNow().AddSeconds(10), Clock));

    [Fact]
    public async Task With_true_time_the_built_in_inventorys_count_is_fresh()
    {
        using var function = Create("""{"version":1,"enabled":false}""");

        (await GetOrder(function)).StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task A_clock_two_minutes_ahead_makes_the_fresh_count_look_stale_and_the_order_fails_with_503()
    {
        using var function = Create(Skewed(120_000));

        var response = await GetOrder(function);

        response.StatusCode.ShouldBe(503);
        response.Body!.ShouldContain("inventory count is stale");
        response.Headers!["X-Chaos-Injected"].ShouldBe("clockSkew");
    }

    [Fact]
    public async Task A_clock_behind_passes_the_naive_check_even_by_far_more_than_the_allowed_age()
    {
        using var function = Create(Skewed(-600_000));

        (await GetOrder(function)).StatusCode.ShouldBe(200);
    }
}
