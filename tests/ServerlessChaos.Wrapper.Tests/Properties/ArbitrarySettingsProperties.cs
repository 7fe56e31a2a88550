using System.Net;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.SQSEvents;
using FsCheck;
using FsCheck.Fluent;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Properties;

/// <summary>
/// Arbitrary settings documents (well-formed, almost well-formed, legacy layouts and garbage): the parser never
/// throws, and the wrapper never throws anything of its own out of the handler and never runs it twice.
/// </summary>
public class ArbitrarySettingsProperties
{
    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Choose(-1000, 1_000_000).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements("0", "1", "0.5", "1.5", "-0.1", "1e400", "NaN", "true", "false", "null", "\"\"", "\"x\"", "[]", "{}", "\"2030-01-01T00:00:00Z\"", "\"2020-01-01T00:00:00Z\"", "\"GET\""),
        ArbMap.Default.ArbFor<string>().Generator.Select(s => System.Text.Json.JsonSerializer.Serialize(s ?? "")));

    private static readonly Gen<string> FieldName = Gen.Elements(
        "type", "rate", "ms", "minMs", "maxMs", "allowPastDeadline", "exceptionType", "message", "statusCode", "body", "headers",
        "runHandler", "hosts", "fault", "megabytes", "share", "bufferMs", "match", "offsetMs", "driftMs", "order", "reportBatchItemFailures", "bogus");

    private static readonly Gen<string> Match = Gen.OneOf(
        Gen.Elements("eq", "startsWith", "exists", "regex", "like").SelectMany(op =>
            Gen.Elements("requestContext.http.method", "rawPath", "headers.x", "Records.0.messageId", "a..b", "")
                .SelectMany(path => Gen.Elements("GET", "^(a+)+$", "(", "/api", "").Select(value =>
                    $$"""{"path":"{{path}}","op":"{{op}}","value":"{{value.Replace("\\", "\\\\")}}"}"""))),
        Scalar);

    private static readonly Gen<string> Fault = Gen.Elements(FaultTypes.All.Concat(["bogus"]).ToArray()).SelectMany(type =>
        Gen.Choose(0, 100).SelectMany(rate =>
            Gen.ListOf(FieldName.SelectMany(name => Gen.OneOf(Scalar, Match,
                Gen.Elements("""{"kind":"status","statusCode":503}""", """{"kind":"connection"}""", """{"kind":"latency","ms":5}""", """["*"]""", """{"X-A":"b"}""")).Select(value => $"\"{name}\":{value}")))
            .Select(fields => $$"""{"type":"{{type}}","rate":{{rate / 100.0}}{{string.Concat(fields.Take(6).Select(f => "," + f))}}}""")));

    private static readonly Gen<string> ValidFault = Gen.Choose(0, 100).SelectMany(rate => Gen.Choose(0, 50).SelectMany(n =>
        Gen.Elements(
            $$"""{"type":"latency","rate":R,"minMs":{{n}},"maxMs":{{n * 2}},"allowPastDeadline":true}""",
            $$"""{"type":"timeout","rate":R,"bufferMs":{{n}}}""",
            """{"type":"exception","rate":R,"exceptionType":"IOException"}""",
            $$"""{"type":"statusCode","rate":R,"statusCode":{{500 + n}},"runHandler":{{(n % 2 == 0 ? "true" : "false")}}}""",
            """{"type":"dependency","rate":R,"hosts":["*.com"],"fault":{"kind":"connection"}}""",
            """{"type":"dependency","rate":R,"hosts":["example.com"],"fault":{"kind":"status","statusCode":429,"errorCode":"Throttled"}}""",
            """{"type":"diskSpace","rate":R,"megabytes":1}""",
            $$"""{"type":"sqsBatchFailure","rate":R,"share":{{n / 50.0}}}""",
            $$"""{"type":"clockSkew","rate":R,"offsetMs":{{n - 25}},"driftMs":{{n}}}""",
            $$"""{"type":"delayRecords","rate":R,"share":{{(n + 1) / 51.0}},"reportBatchItemFailures":true}""",
            $$"""{"type":"duplicateRecords","rate":R,"share":{{(n + 1) / 51.0}}}""",
            $$"""{"type":"reorderRecords","rate":R,"order":"{{(n % 2 == 0 ? "shuffle" : "reverse")}}"}""",
            """{"type":"statusCode","rate":R,"statusCode":503,"match":{"path":"requestContext.http.method","op":"regex","value":"^G"}}""")
        .Select(f => f.Replace("\"rate\":R", "\"rate\":" + (rate / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))));

    private static readonly Gen<string> NativeDocument =
        Gen.Elements("1", "1", "1", "2", "\"1\"").SelectMany(version =>
            Gen.Elements("true", "true", "true", "false", "1").SelectMany(enabled =>
                Gen.Elements("\"2026-11-22T01:00:00Z\"", "\"2026-11-22T01:00:00Z\"", "\"2020-01-01T00:00:00Z\"", "\"soon\"", "null").SelectMany(expires =>
                    Gen.ListOf(Gen.OneOf(ValidFault, ValidFault, ValidFault, ValidFault, ValidFault, ValidFault, Fault)).Select(faults =>
                        $$"""{"version":{{version}},"enabled":{{enabled}},"expiresAt":{{expires}},"experimentId":"p","faults":[{{string.Join(",", faults.Take(8))}}]}"""))));

    private static readonly Gen<string> LegacyDocument = Gen.OneOf(
        Gen.Elements("latency", "exception", "statuscode", "diskspace", "denylist", "timeout", "corruption").SelectMany(mode =>
            Scalar.Select(value => "{\"" + mode + "\":{\"enabled\":true,\"percentage\":" + value + ",\"min_latency\":5,\"deny_list\":[\"(a\"]}}")),
        Gen.Elements("latency", "exception", "statuscode", "diskspace", "denylist", "nope").SelectMany(mode =>
            Scalar.Select(value => $$"""{"isEnabled":true,"failureMode":"{{mode}}","rate":{{value}},"minLatency":1,"maxLatency":{{value}}}""")),
        Gen.Elements("latency", "exception", "status_code", "other").SelectMany(type =>
            Scalar.Select(value => $$"""{"is_enabled":true,"fault_type":"{{type}}","delay":{{value}},"error_code":{{value}},"exception_msg":{{value}},"rate":1}""")));

    private static readonly Gen<string> AnyDocument = Gen.OneOf(
        NativeDocument, NativeDocument, LegacyDocument,
        ArbMap.Default.ArbFor<string>().Generator.Select(s => s ?? ""),
        NativeDocument.Select(d => d[..(d.Length / 2)]));

    [Fact]
    public void The_generator_reaches_armed_settings_of_every_fault_type_and_invalid_ones()
    {
        var now = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        var documents = AnyDocument.Sample(5000, 8);
        documents.Length.ShouldBe(5000);
        var results = documents.Select(ChaosSettings.Parse).ToList();

        var armed = results.Where(r => r.Settings?.IsArmedAt(now) == true).ToList();
        armed.SelectMany(r => r.Settings!.Faults).Select(f => f.Type).Distinct().Order().ShouldBe(FaultTypes.All.Order());
        results.Count(r => !r.IsValid).ShouldBeGreaterThan(100);
    }

    [Fact]
    public void Parsing_never_throws_and_always_gives_settings_or_errors_naming_a_settings_field()
    {
        Prop.ForAll(AnyDocument.ToArbitrary(), json =>
        {
            var result = ChaosSettings.Parse(json);
            return result.IsValid
                ? result.Errors.Count == 0
                : result.Errors.Count > 0 && result.Errors.All(e => e.Field.StartsWith("settings", StringComparison.Ordinal) && e.Problem.Length > 0);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_wrapper_never_throws_its_own_errors_and_never_runs_the_handler_twice()
    {
        Prop.ForAll(AnyDocument.ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (json, seed) =>
        {
            var random = new Random(seed);
            var wrapper = new ChaosWrapper(new InMemorySettingsSource(json, null), new ChaosOptions
            {
                TimeProvider = new InstantTimeProvider(),
                Randomizer = random.NextDouble,
                LogWriter = TextWriter.Null,
                TempDirectory = Path.Combine(Path.GetTempPath(), "serverless-chaos-missing-" + Guid.NewGuid().ToString("N")),
            });
            using var client = new HttpClient(wrapper.CreateDependencyHandler(new OkHandler()));
            var calls = 0;
            var batch = new SQSEvent { Records = [new SQSEvent.SQSMessage { MessageId = "m1" }, new SQSEvent.SQSMessage { MessageId = "m2" }] };
            try
            {
                var response = wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), new TestLambdaContext(remaining: TimeSpan.FromMilliseconds(20)), async (_, _) =>
                {
                    calls++;
                    try
                    {
                        await client.GetAsync("https://example.com/");
                    }
                    catch (HttpRequestException)
                    {
                        // A handler may swallow its dependency's failure.
                    }

                    return new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 };
                }).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
                var sqs = wrapper.InvokeAsync(batch, new TestLambdaContext(), (_, _) =>
                {
                    calls++;
                    return Task.FromResult(new SQSBatchResponse());
                }).WaitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
                return calls <= 2 && response is not null && sqs is not null;
            }
            catch (Exception ex) when (ex.Data.Contains(InjectedExceptions.DataKey))
            {
                // An injected exception is the one thing allowed out, and it means the handler did not run.
                return calls <= 1;
            }
        }).QuickCheckThrowOnFailure();
    }

    private sealed class OkHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
    }
}
