using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

public class EnvironmentControlsTests
{
    private static readonly string Armed = Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}""");

    private static ChaosWrapper Build(StringWriter log, params (string Name, string Value)[] extra)
    {
        var variables = new Dictionary<string, string?> { [EnvironmentSettingsSource.DefaultVariable] = Armed };
        foreach (var (name, value) in extra)
        {
            variables[name] = value;
        }

        return ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = log, TimeProvider = new ManualTimeProvider() }, variables.GetValueOrDefault);
    }

    [Theory]
    [InlineData("SERVERLESS_CHAOS_DISABLED", "true")]
    [InlineData("SERVERLESS_CHAOS_DISABLED", " TRUE ")]
    [InlineData("FAILURE_LAMBDA_DISABLED", "true")]
    public async Task Disabled_turns_the_wrapper_off_whatever_the_settings_say(string variable, string value)
    {
        var wrapper = Build(new StringWriter(), (variable, value));

        wrapper.IsOptedIn.ShouldBeFalse();
        (await wrapper.InvokeAsync("event", new TestLambdaContext(), (_, _) => Task.FromResult("own"))).ShouldBe("own");
    }

    [Fact]
    public async Task Disabled_false_leaves_it_on()
    {
        var wrapper = Build(new StringWriter(), ("SERVERLESS_CHAOS_DISABLED", "false"));

        (await wrapper.GetStatusAsync()).Armed.ShouldBeTrue();
    }

    [Fact]
    public async Task An_invalid_disabled_value_is_one_log_line_and_the_default()
    {
        var log = new StringWriter();

        var wrapper = Build(log, ("SERVERLESS_CHAOS_DISABLED", "yes please"));

        (await wrapper.GetStatusAsync()).Armed.ShouldBeTrue();
        Messages(log).ShouldContain("SERVERLESS_CHAOS_DISABLED must be true or false (was \"yes please\"); the wrapper stays on");
    }

    [Fact]
    public void Ttls_and_the_fetch_budget_are_read_from_the_environment()
    {
        var wrapper = Build(new StringWriter(), ("SERVERLESS_CHAOS_ARMED_TTL", "2s"), ("SERVERLESS_CHAOS_IDLE_TTL", "5m"), ("SERVERLESS_CHAOS_FETCH_BUDGET", "100ms"));

        (wrapper.Options.ArmedTtl, wrapper.Options.IdleTtl, wrapper.Options.FetchBudget)
            .ShouldBe((TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public void A_bare_number_is_milliseconds()
    {
        var wrapper = Build(new StringWriter(), ("SERVERLESS_CHAOS_ARMED_TTL", "1500"));

        wrapper.Options.ArmedTtl.ShouldBe(TimeSpan.FromMilliseconds(1500));
    }

    [Theory]
    [InlineData("SERVERLESS_CHAOS_ARMED_TTL", "soon", "SERVERLESS_CHAOS_ARMED_TTL must be a duration such as 5s, 250ms or 2m between 0 and 15m (was \"soon\"); using 5s")]
    [InlineData("SERVERLESS_CHAOS_IDLE_TTL", "-1s", "SERVERLESS_CHAOS_IDLE_TTL must be a duration such as 5s, 250ms or 2m between 0 and 60m (was \"-1s\"); using 1m")]
    [InlineData("SERVERLESS_CHAOS_FETCH_BUDGET", "30s", "SERVERLESS_CHAOS_FETCH_BUDGET must be a duration such as 5s, 250ms or 2m between 0 and 5s (was \"30s\"); using 250ms")]
    public async Task An_invalid_duration_is_one_log_line_naming_it_and_the_default_stays(string variable, string value, string message)
    {
        var log = new StringWriter();

        var wrapper = Build(log, (variable, value));

        wrapper.Options.ArmedTtl.ShouldBe(variable == "SERVERLESS_CHAOS_ARMED_TTL" ? TimeSpan.FromSeconds(5) : wrapper.Options.ArmedTtl);
        Messages(log).ShouldContain(message);
        (await wrapper.GetStatusAsync()).Armed.ShouldBeTrue();
    }

    /// <summary>The message and errors of every JSON log line, as one text per line.</summary>
    private static string Messages(StringWriter log) => string.Join("\n", log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement)
        .Select(e => $"{e.GetProperty("message").GetString()} {(e.TryGetProperty("source", out var s) ? s.GetString() : "")} {(e.TryGetProperty("exception", out var x) ? x.GetString() : "")}"));
}
