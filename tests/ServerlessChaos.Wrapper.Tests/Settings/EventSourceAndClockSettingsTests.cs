using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Tests.Settings;

public class EventSourceAndClockSettingsTests
{
    private static SettingsParseResult ParseFault(string fault) =>
        ChaosSettings.Parse($$"""{"version":1,"enabled":false,"faults":[{{fault}}]}""");

    [Fact]
    public void A_clock_skew_reads_its_offset_and_drift()
    {
        var skew = ParseFault("""{"type":"clockSkew","rate":0.25,"offsetMs":-90000,"driftMs":1000}""").Settings!.Faults.Single().ShouldBeOfType<ClockSkewFaultSettings>();

        (skew.Rate, skew.OffsetMs, skew.DriftMs).ShouldBe((0.25, -90_000L, 1000L));
        skew.OffsetAt(2).ShouldBe(-88_000);
        skew.OffsetAt(long.MaxValue / 2).ShouldBe(ClockSkewFaultSettings.MaxOffsetMs, "a drift saturates at the bound instead of overflowing");
    }

    [Theory]
    [InlineData("""{"type":"clockSkew","rate":1}""", "settings.faults[0].offsetMs is required when driftMs is 0 or absent")]
    [InlineData("""{"type":"clockSkew","rate":1,"offsetMs":1.5}""", "settings.faults[0].offsetMs must be a whole number (was 1.5)")]
    [InlineData("""{"type":"clockSkew","rate":1,"offsetMs":"1h"}""", "settings.faults[0].offsetMs must be a whole number (was \"1h\")")]
    [InlineData("""{"type":"clockSkew","rate":1,"offsetMs":40000000000}""", "settings.faults[0].offsetMs must be between -31622400000 and 31622400000 (was 40000000000)")]
    [InlineData("""{"type":"clockSkew","rate":1,"driftMs":-40000000000}""", "settings.faults[0].driftMs must be between -31622400000 and 31622400000")]
    [InlineData("""{"type":"clockSkew","rate":1,"offsetMs":5,"offset":5}""", "settings.faults[0].offset is not a known field of a clockSkew fault")]
    public void Invalid_event_source_and_clock_faults_report_the_field_and_the_problem(string fault, string expected)
    {
        var result = ParseFault(fault);

        result.Settings.ShouldBeNull();
        result.Errors.Select(e => e.Message).ShouldContain(m => m.StartsWith(expected, StringComparison.Ordinal),
            $"errors were: {string.Join(" | ", result.Errors)}");
    }
}
