using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessChaos.Wrapper.Tests.Package;

namespace ServerlessChaos.Wrapper.Tests.NativeAot;

/// <summary>
/// The proof behind "AOT safe": tests/AotFunction, a decorated function with typed events of the real Amazon.Lambda
/// types' names and shapes, published as Native AOT once with the wrapper from this run's packed package
/// (<see cref="AotPublishFixture"/>), run against a Lambda Runtime API on 127.0.0.1 with settings from its environment.
/// Each test is one run of the published executable.
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

    [Theory]
    [InlineData("ServerlessChaos.Wrapper")]
    [InlineData("ServerlessChaos.Aws.Signing")]
    public void The_compiler_read_the_assembly_from_this_runs_package_its_linux_x64_ReadyToRun_copy_not_from_the_project(string assembly)
    {
        fixture.PublishExitCode.ShouldBe(0, fixture.PublishOutput);
        // Where NuGet unpacks this run's package (lower-case id and version) and the asset a linux-x64 restore picks.
        var fromPackage = Path.Combine(
            fixture.PackagesFolder, assembly.ToLowerInvariant(), fixture.PackageVersion.ToLowerInvariant(), "runtimes", "linux-x64", "lib", "net8.0", assembly + ".dll");

        fixture.CompilerReferences.Where(r => Path.GetFileName(r) == assembly + ".dll")
            .ShouldBe([fromPackage], "the Native AOT compiler's references to the repository's assemblies (a path under artifacts/ is the project's build)");
        PortableExecutable.Read(File.ReadAllBytes(fromPackage)).IsReadyToRun.ShouldBeTrue();
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

    private static string KinesisBatch() =>
        "{\"Records\":[" + string.Join(",", new[] { ("s1", "YQ=="), ("s2", "Yg=="), ("s3", "Yw==") }.Select(r =>
            $$$"""{"eventID":"shardId-000000000000:{{{r.Item1}}}","eventSourceARN":"arn:aws:kinesis:eu-west-1:123456789012:stream/orders","kinesis":{"sequenceNumber":"{{{r.Item1}}}","partitionKey":"p","data":"{{{r.Item2}}}"}}""")) + "]}";

    private static string DynamoDbBatch() =>
        "{\"Records\":[" + string.Join(",", new[] { ("100", "a"), ("200", "b"), ("300", "c") }.Select(r =>
            $$$$$"""{"eventID":"e{{{{{r.Item1}}}}}","eventName":"INSERT","eventSourceARN":"arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/2026-11-22T00:00:00.000","dynamodb":{"SequenceNumber":"{{{{{r.Item1}}}}}","Keys":{"id":{"S":"{{{{{r.Item2}}}}}"}}}}""")) + "]}";

    private Task<RuntimeApiRun> Run(RunSetup setup, params string[] events)
    {
        fixture.PublishExitCode.ShouldBe(0, fixture.PublishOutput);
        return RuntimeApiRun.StartAsync(fixture, setup, events);
    }

    private static string Message(JsonElement line) => line.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";

    private static string Explain(RuntimeApiRun run) => string.Join('\n', run.Output);

    private static string Header(JsonElement response, string name) =>
        response.TryGetProperty("headers", out var headers) && headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value) ? value.GetString()! : "";

    [Fact]
    public async Task A_timeout_fault_holds_the_invocation_until_just_before_its_deadline_then_runs_the_handler()
    {
        var run = await Run(new RunSetup("http-v2", RuntimeApiRun.Armed("""{"type":"timeout","rate":1,"bufferMs":300}"""), Deadline: TimeSpan.FromSeconds(2)), HttpV2Get);

        var outcome = run.Outcomes.Single();
        outcome.Json.GetProperty("statusCode").GetInt32().ShouldBe(200, Explain(run));
        outcome.Took.ShouldBeGreaterThan(TimeSpan.FromSeconds(1.2));
        var held = run.FaultLines.Single().GetProperty("details").GetProperty("heldMs").GetInt64();
        held.ShouldBeInRange(1000, 1700);
    }

    [Theory]
    [InlineData("""{"kind":"connection"}""", "dependency=HttpRequestException", 0)]
    [InlineData("""{"kind":"status","statusCode":503,"errorCode":"ThrottlingException"}""", "dependency=503 dependency", 0)]
    [InlineData("""{"kind":"latency","ms":50}""", "dependency=200", 1)]
    public async Task A_dependency_fault_reaches_the_functions_own_http_call_to_a_matching_host(string fault, string handlerSaw, int requestsThatArrived)
    {
        await using var downstream = await LoopbackServer.StartAsync(LoopbackServer.Json(200, "{}", "application/json"));
        var settings = RuntimeApiRun.Armed($$"""{"type":"dependency","rate":1,"hosts":["127.0.0.1"],"fault":{{fault}}}""");
        var run = await Run(new RunSetup("http-v2", settings, Variables: new Dictionary<string, string> { ["AOT_FUNCTION_DEPENDENCY"] = new Uri(downstream.Url, "/orders").ToString() }), HttpV2Get);

        var response = run.Outcomes.Single().Json;
        response.GetProperty("body").GetString()!.ShouldEndWith(handlerSaw, Case.Sensitive, Explain(run));
        downstream.Requests.Count.ShouldBe(requestsThatArrived);
        Header(response, "X-Chaos-Injected").ShouldBe("dependency");
        var line = run.FaultLines.Single();
        (line.GetProperty("fault").GetString(), line.GetProperty("details").GetProperty("host").GetString()).ShouldBe(("dependency", "127.0.0.1"));
    }

    [Fact]
    public async Task A_disk_space_fault_fills_the_temp_folder_while_the_handler_runs_and_removes_the_file_after()
    {
        var temp = Directory.CreateTempSubdirectory("aot-disk-").FullName;
        try
        {
            var run = await Run(new RunSetup("http-v2", RuntimeApiRun.Armed("""{"type":"diskSpace","rate":1,"megabytes":2}"""), Variables: new Dictionary<string, string> { ["TMPDIR"] = temp }), HttpV2Get);

            run.Outcomes.Single().Json.GetProperty("body").GetString()!.ShouldContain(";fills=1:2097152", Case.Sensitive, Explain(run));
            run.FaultLines.Single().GetProperty("details").GetProperty("bytesWritten").GetInt64().ShouldBe(2 * 1024 * 1024);
            Directory.GetFiles(temp).ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public async Task A_clock_skew_fault_shifts_the_time_the_handler_reads()
    {
        var run = await Run(new RunSetup("http-v2", RuntimeApiRun.Armed("""{"type":"clockSkew","rate":1,"offsetMs":86400000}""")), HttpV2Get);

        var body = run.Outcomes.Single().Json.GetProperty("body").GetString()!;
        var seen = DateTimeOffset.Parse(body.Split(';').Single(p => p.StartsWith("time=", StringComparison.Ordinal))[5..], System.Globalization.CultureInfo.InvariantCulture);
        (seen - DateTimeOffset.UtcNow).ShouldBeGreaterThan(TimeSpan.FromHours(23), Explain(run));
        run.FaultLines.Single().GetProperty("details").GetProperty("offsetMs").GetInt64().ShouldBe(86400000);
    }

    [Fact]
    public async Task A_corruption_fault_replaces_or_garbles_the_typed_responses_body()
    {
        var replaced = await Run(new RunSetup("http-v2", RuntimeApiRun.Armed("""{"type":"corruption","rate":1,"body":"corrupted"}""")), HttpV2Get);
        var garbled = await Run(new RunSetup("rest-v1", RuntimeApiRun.Armed("""{"type":"corruption","rate":1}""")), RestV1Post);

        var response = replaced.Outcomes.Single().Json;
        response.GetProperty("body").GetString().ShouldBe("corrupted", Explain(replaced));
        Header(response, "X-Chaos-Injected").ShouldBe("corruption");
        var garbledBody = garbled.Outcomes.Single().Json.GetProperty("body").GetString()!;
        garbledBody.ShouldEndWith("\uFFFD\uFFFD\uFFFD", Case.Sensitive, Explain(garbled));
        "handled POST".ShouldStartWith(garbledBody[..^3]);
        garbled.FaultLines.Single().GetProperty("details").GetProperty("method").GetString().ShouldBe("garble");
    }

    [Fact]
    public async Task A_dry_run_logs_what_would_have_been_injected_and_injects_nothing()
    {
        var run = await Run(new RunSetup("http-v2", RuntimeApiRun.Armed("""{"type":"statusCode","rate":1,"statusCode":503,"dryRun":true}""")), HttpV2Get);

        var response = run.Outcomes.Single().Json;
        response.GetProperty("statusCode").GetInt32().ShouldBe(200, Explain(run));
        Header(response, "X-Chaos-Dry-Run").ShouldBe("statusCode");
        Header(response, "X-Chaos-Injected").ShouldBeEmpty();
        var line = run.FaultLines.Single();
        (line.GetProperty("fault").GetString(), line.GetProperty("dryRun").GetBoolean()).ShouldBe(("statusCode", true));
    }

    [Theory]
    [InlineData("""{"type":"duplicateRecords","rate":1,"share":0.5}""", "handler saw: m1,m2,m3,m4,m1,m2", "duplicateRecords")]
    [InlineData("""{"type":"reorderRecords","rate":1,"order":"reverse"}""", "handler saw: m4,m3,m2,m1", "reorderRecords")]
    public async Task Duplicated_and_reordered_sqs_records_reach_the_typed_handler(string fault, string handlerSaw, string type)
    {
        // Rate roll, then the picks: positions 0 and 1.
        var run = await Run(new RunSetup("sqs", RuntimeApiRun.Armed(fault), "0.1,0.0,0.0"), SqsBatch(4));

        run.Output.ShouldContain(handlerSaw, Explain(run));
        var line = run.FaultLines.Single();
        (line.GetProperty("fault").GetString(), line.GetProperty("details").GetProperty("source").GetString()).ShouldBe((type, "sqs"));
    }

    [Fact]
    public async Task A_batch_duplicate_hands_the_typed_sqs_batch_over_twice()
    {
        var run = await Run(new RunSetup("sqs", RuntimeApiRun.Armed("""{"type":"duplicateRecords","rate":1,"mode":"batch"}""")), SqsBatch(2));

        run.Output.Count(l => l == "handler saw: m1,m2").ShouldBe(2, Explain(run));
    }

    [Theory]
    [InlineData("kinesis", "handler saw: s3=c,s2=b,s1=a", "kinesis")]
    [InlineData("dynamodb", "handler saw: 300=c,200=b,100=a", "dynamodb-streams")]
    public async Task Stream_records_of_kinesis_and_dynamodb_events_are_reordered_in_the_typed_event(string handler, string handlerSaw, string source)
    {
        var run = await Run(new RunSetup(handler, RuntimeApiRun.Armed("""{"type":"reorderRecords","rate":1,"order":"reverse"}""")), handler == "kinesis" ? KinesisBatch() : DynamoDbBatch());

        run.Output.ShouldContain(handlerSaw, Explain(run));
        run.FaultLines.Single().GetProperty("details").GetProperty("source").GetString().ShouldBe(source);
    }

    [Fact]
    public async Task A_delayed_kinesis_record_is_reported_in_the_typed_streams_response()
    {
        var run = await Run(new RunSetup("kinesis", RuntimeApiRun.Armed("""{"type":"delayRecords","rate":1,"share":0.3,"reportBatchItemFailures":true}""")), KinesisBatch());

        // Streams resume from the earliest reported failure, so the last record is held back.
        run.Output.ShouldContain("handler saw: s1=a,s2=b", Explain(run));
        run.Outcomes.Single().Json.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()).ShouldBe(["s3"]);
    }

    [Fact]
    public async Task A_stream_handler_gets_status_matches_and_record_faults()
    {
        var status = await Run(new RunSetup("stream", StatusWhen("requestContext.http.method", "GET")), HttpV2Get);
        var reordered = await Run(new RunSetup("stream", RuntimeApiRun.Armed("""{"type":"reorderRecords","rate":1,"order":"reverse"}""")), SqsBatch(3));

        status.Outcomes.Single().Json.GetProperty("statusCode").GetInt32().ShouldBe(503, Explain(status));
        reordered.Output.ShouldContain("handler saw: m3,m2,m1", Explain(reordered));
        reordered.Outcomes.Single().Json.GetProperty("body").GetString().ShouldBe("handled stream");
    }

    [Fact]
    public async Task A_handler_with_the_chaos_injection_attribute_is_decorated_inside_the_aot_binary()
    {
        var hit = await Run(new RunSetup("attribute", StatusWhen("requestContext.http.method", "GET")), HttpV2Get);
        var miss = await Run(new RunSetup("attribute", StatusWhen("requestContext.http.method", "PUT")), HttpV2Get);

        hit.Outcomes.Single().Json.GetProperty("statusCode").GetInt32().ShouldBe(503, Explain(hit));
        hit.FaultLines.Single().GetProperty("fault").GetString().ShouldBe("statusCode");
        miss.Outcomes.Single().Json.GetProperty("statusCode").GetInt32().ShouldBe(200, Explain(miss));
        miss.Outcomes.Single().Json.GetProperty("body").GetString()!.ShouldStartWith("handled by the attributed handler GET");
    }

    [Fact]
    public async Task A_fault_that_cannot_apply_logs_one_line_per_settings_version_not_one_per_invocation()
    {
        // An event type the function left out of the context it gave the wrapper: no metadata under Native AOT.
        var unlisted = await Run(new RunSetup("unlisted", StatusWhen("requestContext.http.method", "GET")), HttpV2Get, HttpV2Get, HttpV2Get);
        // A typed result that is not an HTTP response: a status code has nowhere to go.
        var notHttp = await Run(new RunSetup("sqs", RuntimeApiRun.Armed("""{"type":"statusCode","rate":1,"statusCode":503}""")), SqsBatch(1), SqsBatch(1));

        unlisted.Outcomes.ShouldAllBe(o => !o.IsError && o.Body.Contains("\"statusCode\":200"), Explain(unlisted));
        var lines = unlisted.Lines.Where(l => Message(l).Contains("cannot apply", StringComparison.Ordinal)).ToList();
        lines.Count.ShouldBe(1, Explain(unlisted));
        lines[0].GetProperty("message").GetString()!.ShouldContain("ChaosOptions.JsonTypeInfoResolver");
        notHttp.Outcomes.ShouldAllBe(o => !o.IsError, Explain(notHttp));
        notHttp.Output.Count(l => l == "handler saw: m1").ShouldBe(2);
        notHttp.Lines.Count(l => Message(l).Contains("The statusCode fault cannot apply", StringComparison.Ordinal)).ShouldBe(1, Explain(notHttp));
    }
}
