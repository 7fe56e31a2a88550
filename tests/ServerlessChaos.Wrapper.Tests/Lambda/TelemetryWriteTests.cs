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

    [Fact]
    public async Task An_injected_fault_writes_exactly_this_log_line_and_emf_record()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        harness.Clock.Advance(TimeSpan.FromTicks(12_345_678));
        var context = harness.Context();
        context.AwsRequestId = "req \"1\" <é>";
        context.FunctionName = "checkout-café";

        await harness.Wrapper.InvokeAsync(new Amazon.Lambda.APIGatewayEvents.APIGatewayHttpApiV2ProxyRequest(), context,
            (_, _) => Task.FromResult(new Amazon.Lambda.APIGatewayEvents.APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

        harness.Log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            """{"timestamp":"2026-11-22T00:00:01.2345678Z","level":"WARN","logger":"ServerlessChaos","message":"ServerlessChaos injected a statusCode fault","fault":"statusCode","experimentId":"exp-1","function":"checkout-caf\u00E9","requestId":"req \u00221\u0022 \u003C\u00E9\u003E","details":{"statusCode":503}}""",
            """{"_aws":{"Timestamp":1795305601234,"CloudWatchMetrics":[{"Namespace":"ServerlessChaos","Dimensions":[["FaultType","FunctionName"]],"Metrics":[{"Name":"FaultsInjected","Unit":"Count"}]}]},"FaultType":"statusCode","FunctionName":"checkout-caf\u00E9","ExperimentId":"exp-1","RequestId":"req \u00221\u0022 \u003C\u00E9\u003E","FaultsInjected":1}""",
        ]);
    }

    [Fact]
    public async Task A_dry_run_writes_exactly_this_log_line_and_emf_record()
    {
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":1,"dryRun":true}"""));
        var context = harness.Context();
        context.FunctionName = null!;

        await harness.Wrapper.InvokeAsync("event", context, (_, _) => Task.FromResult("ok"));

        harness.Log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            """{"timestamp":"2026-11-22T00:00:00.0000000Z","level":"INFO","logger":"ServerlessChaos","message":"ServerlessChaos would have injected a exception fault (dry run: nothing injected)","fault":"exception","dryRun":true,"experimentId":"exp-1","function":"fallback-name","requestId":"req-1"}""",
            """{"_aws":{"Timestamp":1795305600000,"CloudWatchMetrics":[{"Namespace":"ServerlessChaos","Dimensions":[["FaultType","FunctionName"]],"Metrics":[{"Name":"FaultsDryRun","Unit":"Count"}]}]},"FaultType":"exception","FunctionName":"fallback-name","ExperimentId":"exp-1","RequestId":"req-1","FaultsDryRun":1}""",
        ]);
    }

    [Fact]
    public async Task Without_a_function_name_or_request_id_the_records_say_null_and_unknown()
    {
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":1,"message":"boom"}"""), configure: o => o.FunctionName = null);

        await Should.ThrowAsync<Exception>(() => harness.Wrapper.InvokeAsync("event", new object(), (_, _) => Task.FromResult("ok")));

        harness.Log.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).ShouldBe(
        [
            """{"timestamp":"2026-11-22T00:00:00.0000000Z","level":"WARN","logger":"ServerlessChaos","message":"ServerlessChaos injected a exception fault","fault":"exception","experimentId":"exp-1","function":null,"requestId":null,"details":{"exceptionType":"Exception","exceptionMessage":"boom"}}""",
            """{"_aws":{"Timestamp":1795305600000,"CloudWatchMetrics":[{"Namespace":"ServerlessChaos","Dimensions":[["FaultType","FunctionName"]],"Metrics":[{"Name":"FaultsInjected","Unit":"Count"}]}]},"FaultType":"exception","FunctionName":"unknown","ExperimentId":"exp-1","RequestId":null,"FaultsInjected":1}""",
        ]);
    }

    [Fact]
    public async Task The_records_follow_a_new_experiment_and_function_name()
    {
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":1}"""));
        var context = harness.Context();

        await Should.ThrowAsync<Exception>(() => harness.Wrapper.InvokeAsync("event", context, (_, _) => Task.FromResult("ok")));
        harness.Source.Settings = Documents.Armed("""{"type":"exception","rate":1}""").Replace("exp-1", "exp-2", StringComparison.Ordinal);
        harness.Clock.Advance(TimeSpan.FromSeconds(5));
        await Should.ThrowAsync<Exception>(() => harness.Wrapper.InvokeAsync("event", context, (_, _) => Task.FromResult("ok")));
        context.FunctionName = "renamed";
        await Should.ThrowAsync<Exception>(() => harness.Wrapper.InvokeAsync("event", context, (_, _) => Task.FromResult("ok")));

        harness.FaultLines.Select(l => (l.GetProperty("experimentId").GetString(), l.GetProperty("function").GetString()))
            .ShouldBe([("exp-1", "checkout"), ("exp-2", "checkout"), ("exp-2", "renamed")]);
        harness.MetricLines.Select(m => (m.GetProperty("ExperimentId").GetString(), m.GetProperty("FunctionName").GetString()))
            .ShouldBe([("exp-1", "checkout"), ("exp-2", "checkout"), ("exp-2", "renamed")]);
    }
}
