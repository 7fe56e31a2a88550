namespace ServerlessChaos.Wrapper.Tests.Migration;

/// <summary>
/// failure-lambda 0.4.4 documents (the npm release) and what its lib/failure.js does with them. Each row: the document,
/// the random number every roll gets, and the outcome the peer's code path gives.
/// </summary>
public class FailureLambda0xTable
{
    private static readonly Outcome Bare503 = new(0, 503, "", null, null, null, "statusCode", true);

    public static TheoryData<string, string, double, Outcome> Rows => new()
    {
        // injectFailure: Math.random() < config.rate; with no rate the comparison is false: never fires.
        { "no rate never fires", """{"isEnabled":true,"failureMode":"statuscode","statusCode":503}""", 0.0, Outcome.Untouched },
        { "rate 1 always fires", """{"isEnabled":true,"failureMode":"statuscode","statusCode":503,"rate":1}""", 0.99, Bare503 },
        { "rate 0.5 fires on 0.49", """{"isEnabled":true,"failureMode":"statuscode","statusCode":503,"rate":0.5}""", 0.49, Bare503 },
        { "rate 0.5 does not fire on 0.5", """{"isEnabled":true,"failureMode":"statuscode","statusCode":503,"rate":0.5}""", 0.5, Outcome.Untouched },
        { "rate above 1 always fires", """{"isEnabled":true,"failureMode":"statuscode","statusCode":503,"rate":2}""", 0.99, Bare503 },
        // statuscode: return { statusCode: config.statusCode } -- no body, no headers, the handler does not run.
        { "a status fault answers only its statusCode", """{"isEnabled":true,"failureMode":"statuscode","statusCode":503,"rate":1}""", 0.5, Bare503 },
        // exception: throw new Error(config.exceptionMsg); new Error(undefined) has an empty message.
        { "exception without exceptionMsg has an empty message", """{"isEnabled":true,"failureMode":"exception","rate":1}""", 0.5, new Outcome(0, null, null, null, "", null, "exception", true) },
        { "exception with exceptionMsg", """{"isEnabled":true,"failureMode":"exception","exceptionMsg":"Exception message!","rate":1}""", 0.5, new Outcome(0, null, null, null, "Exception message!", null, "exception", true) },
        // latency: floor(minLatency + random * (maxLatency - minLatency)), then the handler runs.
        { "latency between minLatency and maxLatency", """{"isEnabled":true,"failureMode":"latency","rate":1,"minLatency":100,"maxLatency":400}""", 0.5, Outcome.Untouched with { DelayMs = 250, Faults = "latency" } },
        // latency: a missing maxLatency makes the delay NaN, which setTimeout runs at once.
        { "latency with only minLatency adds no delay", """{"isEnabled":true,"failureMode":"latency","rate":1,"minLatency":100}""", 0.5, Outcome.Untouched with { DelayMs = 0, Faults = "latency" } },
        // injectFailure: config.isEnabled === true; anything else is off.
        { "isEnabled false injects nothing", """{"isEnabled":false,"failureMode":"statuscode","statusCode":503,"rate":1}""", 0.5, Outcome.Untouched },
        { "isEnabled as a string is refused", """{"isEnabled":"true","failureMode":"statuscode","statusCode":503,"rate":1}""", 0.5, Outcome.Refused },
        // A mode failure.js has no branch for: nothing happens; we refuse it with a line naming failureMode.
        { "an unknown failureMode injects nothing", """{"isEnabled":true,"failureMode":"teapot","rate":1}""", 0.5, Outcome.Refused },
        // Peer defects, the safe thing instead (README migration table): {statusCode: undefined} is a malformed
        // response, and a missing denylist throws in every invocation.
        { "statuscode without statusCode is refused", """{"isEnabled":true,"failureMode":"statuscode","rate":1}""", 0.5, Outcome.Refused },
        { "denylist without denylist is refused", """{"isEnabled":true,"failureMode":"denylist","rate":1}""", 0.5, Outcome.Refused },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_document_behaves_as_failure_lambda_0_4_4_behaves(string row, string document, double random, Outcome expected)
    {
        var outcome = await Outcome.RunAsync(document, random);

        outcome.ShouldBe(expected, row);
    }
}
