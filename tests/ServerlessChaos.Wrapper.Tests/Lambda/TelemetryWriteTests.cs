using System.Text;
using System.Text.Json;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Lambda;

public sealed class TelemetryWriteTests
{
    /// <summary>Records each WriteLine call: under Lambda each one becomes one CloudWatch Logs event.</summary>
    private sealed class EventWriter : TextWriter
    {
        public List<string> Events { get; } = [];

        public override Encoding Encoding => Encoding.UTF8;

        public override void WriteLine(string? value) => Events.Add(value ?? "");
    }

    [Fact]
    public async Task The_fault_log_line_and_its_emf_record_are_separate_log_events_each_one_json_document()
    {
        var writer = new EventWriter();
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":1,"message":"boom"}"""), configure: o => o.LogWriter = writer);

        await Should.ThrowAsync<Exception>(() => harness.Wrapper.InvokeAsync("event", harness.Context(), (_, _) => Task.FromResult("ok")));

        writer.Events.Count.ShouldBe(2);
        var documents = writer.Events.Select(e => JsonDocument.Parse(e).RootElement).ToList();
        documents[0].GetProperty("fault").GetString().ShouldBe("exception");
        documents[0].TryGetProperty("_aws", out _).ShouldBeFalse();
        var emf = documents[1];
        emf.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString().ShouldBe("ServerlessChaos");
        emf.GetProperty("FaultsInjected").GetInt32().ShouldBe(1);
        emf.GetProperty("FaultType").GetString().ShouldBe("exception");
    }
}
