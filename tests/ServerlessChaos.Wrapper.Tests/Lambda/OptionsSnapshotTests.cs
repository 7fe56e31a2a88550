using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Lambda;

/// <summary><see cref="ChaosOptions"/> are read once, when the wrapper is constructed.</summary>
public class OptionsSnapshotTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();
    private static readonly string Armed = Documents.Armed("""{"type":"statusCode","rate":0.6,"statusCode":503}""");

    private static Task<APIGatewayHttpApiV2ProxyResponse> Invoke(ChaosWrapper wrapper, ManualTimeProvider clock) =>
        wrapper.InvokeAsync(Get, new TestLambdaContext(clock), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

    [Fact]
    public async Task Changing_the_options_object_after_construction_changes_nothing_the_wrapper_does()
    {
        var clock = new ManualTimeProvider();
        var log = new StringWriter();
        var options = new ChaosOptions { TimeProvider = clock, LogWriter = log, Randomizer = Sequence.Always(0.5), InjectedHeader = "X-First" };
        var wrapper = new ChaosWrapper(new InMemorySettingsSource(Armed), options);

        // Every member a wrapper uses, changed after construction: a roll of 0.9 would skip the 0.6 rate.
        var otherClock = new ManualTimeProvider(clock.GetUtcNow().AddDays(30));
        var otherLog = new StringWriter();
        options.Randomizer = Sequence.Always(0.9);
        options.InjectedHeader = "X-Second";
        options.LogWriter = otherLog;
        options.TimeProvider = otherClock;
        options.ArmedTtl = TimeSpan.FromMilliseconds(1);
        options.FunctionName = "changed";

        var response = await Invoke(wrapper, clock);

        response.StatusCode.ShouldBe(503);
        response.Headers.ShouldContainKey("X-First");
        response.Headers.ShouldNotContainKey("X-Second");
        otherLog.ToString().ShouldBeEmpty();
        log.ToString().ShouldContain("\"fault\":\"statusCode\"");

        // Still the first clock and TTL: one read until 5 s on the first clock have passed.
        clock.Advance(TimeSpan.FromSeconds(4));
        await Invoke(wrapper, clock);
        (await wrapper.GetStatusAsync()).Armed.ShouldBeTrue("armed until an hour after the first clock's start, not the 30-days-later one");
        wrapper.Options.ArmedTtl.ShouldBe(TimeSpan.FromSeconds(5));
        wrapper.Options.InjectedHeader.ShouldBe("X-First");
    }

    [Fact]
    public async Task The_options_a_wrapper_hands_out_are_a_copy()
    {
        var clock = new ManualTimeProvider();
        var wrapper = new ChaosWrapper(new InMemorySettingsSource(Armed), new ChaosOptions { TimeProvider = clock, LogWriter = TextWriter.Null, Randomizer = Sequence.Always(0.5) });

        wrapper.Options.InjectedHeader = "X-Changed";
        wrapper.Options.Randomizer = Sequence.Always(0.9);

        var response = await Invoke(wrapper, clock);
        response.StatusCode.ShouldBe(503);
        response.Headers.ShouldContainKey(ChaosOptions.DefaultInjectedHeader);
        wrapper.Options.InjectedHeader.ShouldBe(ChaosOptions.DefaultInjectedHeader);
    }

    [Fact]
    public void The_environments_ttl_overrides_go_into_the_wrappers_copy_not_the_callers_options()
    {
        var options = new ChaosOptions { LogWriter = TextWriter.Null, TimeProvider = new ManualTimeProvider() };
        var variables = new Dictionary<string, string?> { ["SERVERLESS_CHAOS_ARMED_TTL"] = "2s", [EnvironmentSettingsSource.DefaultVariable] = Armed };

        var wrapper = ChaosWrapper.FromEnvironment(options, variables.GetValueOrDefault);

        wrapper.Options.ArmedTtl.ShouldBe(TimeSpan.FromSeconds(2));
        options.ArmedTtl.ShouldBe(TimeSpan.FromSeconds(5));
    }
}
