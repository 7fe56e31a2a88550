using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Migration;

/// <summary>
/// failure-lambda 1.0.0 documents and what failure-lambda itself does with them (gunnargrosch/failure-lambda, src/).
/// Each row: the document, the random number every roll gets, the event, and the outcome the peer's code path gives.
/// </summary>
public class FailureLambdaV1Table
{
    private const string Get = """{"requestContext":{"http":{"method":"GET"}}}""";
    private const string Garbled = "hello " + "\uFFFD\uFFFD\uFFFD";

    private static readonly Outcome Status500 = new(0, 500, """{"message":"Injected status code 500"}""", "application/json", null, null, "statusCode", true);

    public static TheoryData<string, string, double, string, Outcome> Rows => new()
    {
        // failures/latency.ts: min_latency and max_latency default to 0, so no delay at all.
        { "latency without min/max adds no delay", """{"latency":{"enabled":true}}""", 0.5, "{}", Outcome.Untouched with { DelayMs = 0, Faults = "latency" } },
        // failures/latency.ts: floor(min + random * (max - min)).
        { "latency between min and max", """{"latency":{"enabled":true,"min_latency":100,"max_latency":400}}""", 0.5, "{}", Outcome.Untouched with { DelayMs = 250, Faults = "latency" } },
        // failures/latency.ts: max defaults to 0, max(0, max - min) = 0: exactly min_latency.
        { "latency with only min_latency is fixed", """{"latency":{"enabled":true,"min_latency":200}}""", 0.9, "{}", Outcome.Untouched with { DelayMs = 200, Faults = "latency" } },
        // config.ts validateFlagValue: min_latency > max_latency skips the flag.
        { "latency with min above max is skipped", """{"latency":{"enabled":true,"min_latency":500,"max_latency":100}}""", 0.5, "{}", Outcome.Untouched },
        // failures/statuscode.ts: status_code ?? 500, JSON body naming it, Content-Type application/json; handler not run.
        { "statuscode without status_code answers 500", """{"statuscode":{"enabled":true}}""", 0.5, "{}", Status500 },
        { "statuscode with status_code", """{"statuscode":{"enabled":true,"status_code":503}}""", 0.5, "{}", Status500 with { Status = 503, Body = """{"message":"Injected status code 503"}""" } },
        // types.ts FAILURE_MODE_ORDER: statuscode comes before exception and short-circuits (orchestration.ts).
        { "statuscode and exception both at 100 % answer the status code", """{"exception":{"enabled":true},"statuscode":{"enabled":true}}""", 0.5, "{}", Status500 },
        // failures/exception.ts: throw new Error(exception_msg ?? "Injected exception").
        { "exception without exception_msg", """{"exception":{"enabled":true}}""", 0.5, "{}", new Outcome(0, null, null, null, "Injected exception", null, "exception", true) },
        { "exception with exception_msg", """{"exception":{"enabled":true,"exception_msg":"boom"}}""", 0.5, "{}", new Outcome(0, null, null, null, "boom", null, "exception", true) },
        // config.ts validateFlagValue: exception_msg must be a string, else only this flag is skipped.
        { "exception with a numeric exception_msg is skipped", """{"exception":{"enabled":true,"exception_msg":42}}""", 0.5, "{}", Outcome.Untouched },
        // config.ts resolveFailures: percentage ?? 100; "rate" is not a field of failure-lambda and is ignored.
        { "rate without percentage is ignored (100 %)", """{"statuscode":{"enabled":true,"rate":0.1}}""", 0.5, "{}", Status500 },
        // orchestration.ts: roll = random * 100; skipped when roll >= percentage.
        { "percentage 50 fires on a roll of 49", """{"statuscode":{"enabled":true,"percentage":50}}""", 0.49, "{}", Status500 },
        { "percentage 50 does not fire on a roll of 50", """{"statuscode":{"enabled":true,"percentage":50}}""", 0.5, "{}", Outcome.Untouched },
        // config.ts validateFlagValue: percentage must be an integer 0-100, else the flag is skipped.
        { "percentage 150 skips the flag", """{"statuscode":{"enabled":true,"percentage":150}}""", 0.5, "{}", Outcome.Untouched },
        // config.ts parseFlags: an invalid flag is skipped ("skipping flag due to validation errors"); the others stay.
        { "one invalid flag leaves the others armed", """{"latency":{"enabled":true,"percentage":150},"statuscode":{"enabled":true,"status_code":503}}""", 0.5, "{}", Status500 with { Status = 503, Body = """{"message":"Injected status code 503"}""" } },
        // config.ts parseFlags: a flag that is not an object is skipped ("must be an object, skipping").
        { "a flag that is not an object is skipped", """{"latency":true,"statuscode":{"enabled":true}}""", 0.5, "{}", Status500 },
        // config.ts validateFlagValue: enabled must be a boolean.
        { "enabled as a string skips the flag", """{"statuscode":{"enabled":"true"}}""", 0.5, "{}", Outcome.Untouched },
        { "enabled false injects nothing", """{"statuscode":{"enabled":false}}""", 0.5, "{}", Outcome.Untouched },
        // matching.ts getNestedValue: path parts are plain property lookups, so letter case matters.
        { "a match path in the event's letter case matches", """{"statuscode":{"enabled":true,"match":[{"path":"requestContext.http.method","value":"GET"}]}}""", 0.5, Get, Status500 },
        { "a match path in another letter case never matches", """{"statuscode":{"enabled":true,"match":[{"path":"RequestContext.http.method","value":"GET"}]}}""", 0.5, Get, Outcome.Untouched },
        { "a match value is compared exactly", """{"statuscode":{"enabled":true,"match":[{"path":"requestContext.http.method","value":"get"}]}}""", 0.5, Get, Outcome.Untouched },
        { "a match with operator startsWith", """{"statuscode":{"enabled":true,"match":[{"path":"requestContext.http.method","operator":"startsWith","value":"G"}]}}""", 0.5, Get, Status500 },
        // config.ts validateFlagValue: match must be an array ("must be an array of match condition objects").
        { "a match given as one object disables the flag", """{"statuscode":{"enabled":true,"match":{"path":"requestContext.http.method","value":"GET"}}}""", 0.5, Get, Outcome.Untouched },
        // failures/corruption.ts: body given replaces the handler's body (after the handler ran).
        { "corruption with a body replaces it", """{"corruption":{"enabled":true,"body":"{\"corrupted\":true}"}}""", 0.5, "{}", Outcome.Untouched with { Body = """{"corrupted":true}""", Faults = "corruption" } },
        // failures/corruption.ts mangleString: cut at floor(length * (0.3 + random * 0.5)), then three U+FFFD.
        { "corruption without a body garbles it", """{"corruption":{"enabled":true}}""", 0.0, "{}", Outcome.Untouched with { Body = Garbled, Faults = "corruption" } },
        // orchestration.ts: corruption runs only after the handler, and a status code short-circuits before it.
        { "corruption with a latency applies both", """{"latency":{"enabled":true,"min_latency":10},"corruption":{"enabled":true,"body":"x"}}""", 0.5, "{}", Outcome.Untouched with { Body = "x", DelayMs = 10, Faults = "latency,corruption" } },
        // failures/denylist.ts: deny_list ?? [] blocks nothing.
        { "denylist without deny_list blocks nothing", """{"denylist":{"enabled":true}}""", 0.5, "{}", Outcome.Untouched },
        // config.ts parseFlags: keys that are not failure modes are ignored.
        { "unknown keys are ignored", """{"owner":"team-a","statuscode":{"enabled":true}}""", 0.5, "{}", Status500 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_document_behaves_as_failure_lambda_1_behaves(string row, string document, double random, string eventJson, Outcome expected)
    {
        var outcome = await Outcome.RunAsync(document, random, eventJson);

        outcome.ShouldBe(expected, row);
    }

    [Fact]
    public async Task One_invalid_flag_is_one_log_line_naming_it_and_the_others_keep_injecting()
    {
        var harness = new Harness("""{"latency":{"enabled":true,"percentage":"half"},"exception":{"enabled":true}}""");

        for (var i = 0; i < 3; i++)
        {
            await Should.ThrowAsync<Exception>(() => harness.Wrapper.InvokeAsync("{}", harness.Context(), (_, _) => Task.FromResult(1)));
        }

        var line = harness.ProblemLines.ShouldHaveSingleItem();
        line.GetProperty("message").GetString().ShouldBe("Part of the chaos settings is invalid and skipped; the rest is in force");
        line.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ShouldBe([
            "settings.latency.percentage must be a whole number (was \"half\")",
            "settings.latency is skipped: the other flags stay as they are",
        ]);
    }
}
