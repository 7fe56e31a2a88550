using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Wrapper.Tests.NativeAot;

/// <summary>
/// The proof behind "AOT safe": tests/AotFunction, a decorated function with typed events of the real Amazon.Lambda
/// types' names and shapes, published as Native AOT once (<see cref="AotPublishFixture"/>), run against a Lambda Runtime
/// API on 127.0.0.1 with settings from its environment. Each test is one run of the published executable.
/// </summary>
[Trait("Category", "NativeAot")]
public sealed partial class NativeAotFunctionTests(AotPublishFixture fixture) : IClassFixture<AotPublishFixture>
{
    private const string HttpV2Get = """{"version":"2.0","rawPath":"/orders","headers":{"accept":"*/*"},"requestContext":{"requestId":"r1","http":{"method":"GET","path":"/orders"}},"body":null}""";

    private const string RestV1Post = """{"resource":"/orders","path":"/orders","httpMethod":"POST","headers":{},"requestContext":{"requestId":"r1","httpMethod":"POST","path":"/prod/orders"},"body":"{}"}""";

    private const string AlbEvent = """{"requestContext":{"elb":{"targetGroupArn":"arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout/50dc6c495c0c9188"}},"httpMethod":"GET","path":"/","headers":{},"body":""}""";

    private static string SqsBatch(int count) =>
        "{\"Records\":[" + string.Join(",", Enumerable.Range(1, count).Select(i =>
            $$"""{"messageId":"m{{i}}","receiptHandle":"h{{i}}","body":"order-{{i}}","eventSourceARN":"arn:aws:sqs:eu-west-1:123456789012:orders"}""")) + "]}";

    private static string StatusWhen(string path, string value) =>
        RuntimeApiRun.Armed($$$"""{"type":"statusCode","rate":1,"statusCode":503,"body":"injected","match":{"path":"{{{path}}}","op":"eq","value":"{{{value}}}"}}""");

    private Task<RuntimeApiRun> Run(string handler, string settings, string? random, params string[] events)
    {
        fixture.PublishExitCode.ShouldBe(0, fixture.PublishOutput);
        return RuntimeApiRun.StartAsync(fixture, handler, settings, random, events);
    }

    [Fact]
    public void The_publish_has_no_trim_or_aot_warnings()
    {
        fixture.PublishExitCode.ShouldBe(0, fixture.PublishOutput);
        var warnings = AotPublishFixture.TrimOrAotWarning().Matches(fixture.PublishOutput).Select(m => m.Value).Distinct().ToList();
        warnings.ShouldBeEmpty(fixture.PublishOutput);
        File.Exists(fixture.Bootstrap).ShouldBeTrue();
    }

    [GeneratedRegex(@"GLIBC_(\d+)\.(\d+)")]
    private static partial Regex GlibcVersion();

    [Fact]
    public async Task The_executable_needs_no_glibc_newer_than_provided_al2023s_2_34()
    {
        fixture.PublishExitCode.ShouldBe(0, fixture.PublishOutput);
        string listing;
        try
        {
            using var objdump = Process.Start(new ProcessStartInfo("objdump", ["-T", fixture.Bootstrap]) { RedirectStandardOutput = true, UseShellExecute = false })!;
            listing = await objdump.StandardOutput.ReadToEndAsync();
            await objdump.WaitForExitAsync();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return; // no objdump on this machine: nothing to check with
        }

        var versions = GlibcVersion().Matches(listing).Select(m => new Version(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value))).ToList();
        versions.ShouldNotBeEmpty(listing);
        versions.Max()!.ShouldBeLessThanOrEqualTo(new Version(2, 34));
    }

    [Theory]
    [InlineData("http-v2", HttpV2Get, "requestContext.http.method", "GET", "PUT")]
    [InlineData("rest-v1", RestV1Post, "requestContext.httpMethod", "POST", "GET")]
    [InlineData("alb", AlbEvent, "requestContext.elb.targetGroupArn", "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/checkout/50dc6c495c0c9188", "arn:other")]
    public async Task A_status_fault_matches_a_nested_member_of_the_typed_event(string handler, string request, string path, string matching, string other)
    {
        var hit = await Run(handler, StatusWhen(path, matching), null, request);
        var miss = await Run(handler, StatusWhen(path, other), null, request);

        hit.Outcomes.Single().IsError.ShouldBeFalse();
        hit.Outcomes.Single().Json.GetProperty("statusCode").GetInt32().ShouldBe(503, string.Join('\n', hit.Output));
        hit.FaultLines.Single().GetProperty("fault").GetString().ShouldBe("statusCode");
        miss.Outcomes.Single().Json.GetProperty("statusCode").GetInt32().ShouldBe(200, string.Join('\n', miss.Output));
        miss.Outcomes.Single().Json.GetProperty("body").GetString().ShouldStartWith("handled ");
        miss.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_match_on_an_sqs_record_inside_the_records_list_matches()
    {
        static string When(string messageId) => RuntimeApiRun.Armed($$$"""{"type":"exception","rate":1,"exceptionType":"TimeoutException","message":"injected","match":{"path":"Records.0.messageId","op":"eq","value":"{{{messageId}}}"}}""");

        var hit = await Run("sqs", When("m1"), null, SqsBatch(2));
        var miss = await Run("sqs", When("m2"), null, SqsBatch(2));

        hit.Outcomes.Single().IsError.ShouldBeTrue(string.Join('\n', hit.Output));
        miss.Outcomes.Single().IsError.ShouldBeFalse(string.Join('\n', miss.Output));
        miss.Output.ShouldContain("handler saw: m1,m2");
    }

    [Fact]
    public async Task An_exception_fault_is_posted_to_the_error_endpoint()
    {
        var run = await Run("http-v2", RuntimeApiRun.Armed("""{"type":"exception","rate":1,"exceptionType":"TimeoutException","message":"injected"}"""), null, HttpV2Get);

        var outcome = run.Outcomes.Single();
        outcome.IsError.ShouldBeTrue(string.Join('\n', run.Output));
        outcome.Json.GetProperty("errorMessage").GetString()!.ShouldContain("injected");
        run.FaultLines.Single().GetProperty("fault").GetString().ShouldBe("exception");
    }

    [Fact]
    public async Task A_latency_fault_delays_the_invocation_and_says_so_in_its_log_line()
    {
        var run = await Run("http-v2", RuntimeApiRun.Armed("""{"type":"latency","rate":1,"ms":20}"""), null, HttpV2Get);

        run.Outcomes.Single().Json.GetProperty("statusCode").GetInt32().ShouldBe(200);
        var line = run.FaultLines.Single();
        line.GetProperty("fault").GetString().ShouldBe("latency");
        line.GetProperty("details").GetProperty("delayMs").GetInt64().ShouldBe(20);
    }

    [Fact]
    public async Task Sqs_batch_failure_adds_batch_item_failures_to_the_typed_response()
    {
        // Rate roll, then one pick per failed message: positions 0 and 1.
        var run = await Run("sqs", RuntimeApiRun.Armed("""{"type":"sqsBatchFailure","rate":1,"share":0.5}"""), "0.1,0.0,0.0", SqsBatch(4));

        var response = run.Outcomes.Single().Json;
        response.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString())
            .ShouldBe(["m1", "m2"], string.Join('\n', run.Output));
        run.Output.ShouldContain("handler saw: m1,m2,m3,m4");
        run.FaultLines.Single().GetProperty("details").GetProperty("failedItems").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Delayed_records_are_kept_from_the_handler_and_reported_in_the_typed_response()
    {
        var run = await Run("sqs", RuntimeApiRun.Armed("""{"type":"delayRecords","rate":1,"share":0.5,"reportBatchItemFailures":true}"""), "0.1,0.0,0.0", SqsBatch(4));

        run.Output.ShouldContain("handler saw: m3,m4", string.Join('\n', run.Output));
        run.Outcomes.Single().Json.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString())
            .ShouldBe(["m1", "m2"]);
        var line = run.FaultLines.Single();
        (line.GetProperty("fault").GetString(), line.GetProperty("details").GetProperty("source").GetString()).ShouldBe(("delayRecords", "sqs"));
    }
}
