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

    [Fact]
    public void Event_source_faults_read_their_fields_and_defaults()
    {
        var faults = ParseFault("""
            {"type":"delayRecords","rate":1,"reportBatchItemFailures":true},{"type":"duplicateRecords","rate":1,"share":0.1,"mode":"batch"},
            {"type":"duplicateRecords","rate":1},{"type":"reorderRecords","rate":1,"order":"reverse"},{"type":"reorderRecords","rate":1}
            """).Settings!.Faults;

        faults[0].ShouldBeOfType<DelayRecordsFaultSettings>().Share.ShouldBe(0.5);
        var batch = faults[1].ShouldBeOfType<DuplicateRecordsFaultSettings>();
        (batch.Share, batch.Mode).ShouldBe((0.1, DuplicateMode.Batch));
        faults[2].ShouldBeOfType<DuplicateRecordsFaultSettings>().Mode.ShouldBe(DuplicateMode.Records);
        faults[3].ShouldBeOfType<ReorderRecordsFaultSettings>().Order.ShouldBe(RecordOrder.Reverse);
        faults[4].ShouldBeOfType<ReorderRecordsFaultSettings>().Order.ShouldBe(RecordOrder.Shuffle);
    }

    [Theory]
    [InlineData("""{"type":"delayRecords","rate":1}""", "settings.faults[0].reportBatchItemFailures must be true, confirming the event source mapping has ReportBatchItemFailures")]
    [InlineData("""{"type":"delayRecords","rate":1,"reportBatchItemFailures":false}""", "settings.faults[0].reportBatchItemFailures must be true")]
    [InlineData("""{"type":"delayRecords","rate":1,"reportBatchItemFailures":"yes"}""", "settings.faults[0].reportBatchItemFailures must be true or false (was \"yes\")")]
    [InlineData("""{"type":"delayRecords","rate":1,"share":0,"reportBatchItemFailures":true}""", "settings.faults[0].share must be above 0")]
    [InlineData("""{"type":"duplicateRecords","rate":1,"share":1.5}""", "settings.faults[0].share must be between 0 and 1 (was 1.5)")]
    [InlineData("""{"type":"duplicateRecords","rate":1,"mode":"twice"}""", "settings.faults[0].mode must be records or batch (was \"twice\")")]
    [InlineData("""{"type":"reorderRecords","rate":1,"order":"sorted"}""", "settings.faults[0].order must be shuffle or reverse (was \"sorted\")")]
    [InlineData("""{"type":"reorderRecords","rate":1,"share":0.5}""", "settings.faults[0].share is not a known field of a reorderRecords fault")]
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
