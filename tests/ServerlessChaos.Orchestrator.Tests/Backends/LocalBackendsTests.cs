using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Backends.Probes;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Tests.Backends;

public class LocalBackendsTests
{
    [Fact]
    public async Task The_parameter_store_file_is_shared_and_deleting_a_missing_parameter_succeeds()
    {
        var folder = Path.Combine(Path.GetTempPath(), "sc-orch-tests", Guid.NewGuid().ToString("N"));
        var a = new LocalBackends(folder, new ManualTimeProvider());
        var b = new LocalBackends(folder, new ManualTimeProvider());
        await a.Parameters.PutAsync(new StoredParameter("/x", "1") { Type = ParameterTypes.SecureString, KeyId = "alias/team" }, default);
        (await b.Parameters.GetAsync("/x", default)).ShouldBe(new StoredParameter("/x", "1") { Type = ParameterTypes.SecureString, KeyId = "alias/team" });
        await b.Parameters.DeleteAsync("/x", default);
        await b.Parameters.DeleteAsync("/x", default);
        a.Parameters.Get("/x").ShouldBeNull();
    }

    [Fact]
    public async Task Alarms_report_the_state_a_host_sets_and_leave_out_unknown_alarms()
    {
        var alarms = new LocalAlarms();
        alarms.Define("a", periodSeconds: 30, evaluationPeriods: 2, datapointsToAlarm: 1);
        var changedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        alarms.SetState("a", "ALARM", changedAt);
        alarms.SetState("a", "ALARM", changedAt.AddSeconds(5)); // no change: the state-updated time stays
        var described = await alarms.DescribeAsync(["a", "b"], default);
        described.Single().ShouldBe(new Orchestrator.Backends.AlarmStatus("a", "ALARM", 30, 2, 1, changedAt));
        described.Single().WorstCaseDetection.ShouldBe(TimeSpan.FromSeconds(60));
        Should.Throw<ArgumentException>(() => alarms.SetState("a", "RED")).Message.ShouldContain("was RED");
        Should.Throw<KeyNotFoundException>(() => alarms.SetState("b", "OK"));
    }

    [Fact]
    public async Task The_dead_letter_file_holds_one_json_line_per_message()
    {
        var file = Path.Combine(Path.GetTempPath(), "sc-orch-tests", Guid.NewGuid().ToString("N"), "dlq.jsonl");
        var queue = new FileDeadLetterQueue(file, new ManualTimeProvider());
        var first = await queue.SendAsync("""{"n":1}""", default);
        await queue.SendAsync("""{"n":2}""", default);
        File.ReadAllLines(file).Length.ShouldBe(2);
        JsonNode.Parse(File.ReadAllLines(file)[0])!["messageId"]!.GetValue<string>().ShouldBe(first);
        queue.ReadAll().Select(m => m["n"]!.GetValue<int>()).ShouldBe([1, 2]);
    }

    [Theory]
    [InlineData("valid", "Bearer good", "{\"ok\":true}")]
    [InlineData("missingAuthorization", null, "{\"ok\":true}")]
    [InlineData("invalidAuthorization", HttpLoadProbeRunner.InvalidAuthorization, "{\"ok\":true}")]
    [InlineData("malformedBody", "Bearer good", HttpLoadProbeRunner.MalformedBody)]
    public async Task The_probe_sends_its_variant_and_counts_statuses(string variant, string? expectedAuthorization, string expectedBody)
    {
        var seen = new List<(string? Authorization, string Body)>();
        await using var app = await LoopbackServer.StartAsync(async http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/items")
            {
                http.Response.StatusCode = 404;
                return;
            }

            using var reader = new StreamReader(http.Request.Body);
            var body = await reader.ReadToEndAsync();
            string? auth = http.Request.Headers.Authorization.Count > 0 ? http.Request.Headers.Authorization.ToString() : null;
            lock (seen)
            {
                seen.Add((auth, body));
            }

            http.Response.StatusCode = auth == "Bearer good" && body.StartsWith("{\"ok\"") ? 200 : auth is null ? 401 : 500;
        });
        var baseUrl = app.Url;
        var url = new Uri(baseUrl, "/items").ToString();
        var probe = new HttpLoadFault
        {
            Url = url, Method = "POST", RatePerSecond = 40, Concurrency = 2, Variant = variant, Body = "{\"ok\":true}",
            Headers = { ["Authorization"] = "Bearer good" },
        };

        using var http = new HttpClient();
        var counts = await new HttpLoadProbeRunner(http, TimeProvider.System).RunAsync(probe, TimeSpan.FromSeconds(0.25), default);

        counts.Requests.ShouldBe(10);
        seen.Count.ShouldBe(10);
        seen.ShouldAllBe(s => s.Authorization == expectedAuthorization && s.Body == expectedBody);
        var expectedStatus = variant switch { "valid" => "200", "missingAuthorization" => "401", _ => "500" };
        counts.ByStatus.ShouldBe(new Dictionary<string, int> { [expectedStatus] = 10 });
    }
}
