namespace ServerlessChaos.Wrapper.Tests.Migration;

/// <summary>
/// chaos_lambda 0.3 documents (adhorn/aws-lambda-chaos-injection, chaos_lambda.py) and what its inject_fault does with
/// them. Each row: the document, the random number every roll gets, and the outcome the peer's code path gives.
/// </summary>
public class ChaosLambdaTable
{
    private static readonly Outcome Status404 = Outcome.Untouched with { Status = 404, Faults = "statusCode" };

    public static TheoryData<string, string, double, Outcome> Rows => new()
    {
        // status_code: result = func(), then result['statusCode'] = error_code; the handler's body is kept.
        { "status_code runs the handler and replaces its statusCode", """{"is_enabled":true,"fault_type":"status_code","error_code":404,"rate":1}""", 0.5, Status404 },
        // status_code not fired: the peer falls through to a second func() call (defect); the handler runs once here.
        { "status_code that does not fire runs the handler once", """{"is_enabled":true,"fault_type":"status_code","error_code":404,"rate":0.5}""", 0.6, Outcome.Untouched },
        // round(random(), 5) <= rate.
        { "rate 0.5 fires on 0.49", """{"is_enabled":true,"fault_type":"status_code","error_code":404,"rate":0.5}""", 0.49, Status404 },
        { "rate above 1 always fires", """{"is_enabled":true,"fault_type":"status_code","error_code":404,"rate":1.5}""", 0.99, Status404 },
        // exception: raise Exception(exception_msg); the handler does not run.
        { "exception raises exception_msg", """{"is_enabled":true,"fault_type":"exception","exception_msg":"This is chaos","rate":1}""", 0.5, new Outcome(0, null, null, null, "This is chaos", null, "exception", true) },
        // latency: time.sleep(delay / 1000), then the handler runs.
        { "latency sleeps delay ms", """{"is_enabled":true,"fault_type":"latency","delay":400,"rate":1}""", 0.5, Outcome.Untouched with { DelayMs = 400, Faults = "latency" } },
        // The other fields are documented with every example, but only fault_type's own field counts.
        { "the other faults' fields are ignored", """{"fault_type":"latency","delay":400,"is_enabled":true,"error_code":404,"exception_msg":"This is chaos","rate":1}""", 0.5, Outcome.Untouched with { DelayMs = 400, Faults = "latency" } },
        // A missing rate makes the peer's comparison raise TypeError (defect); the documented default 1 applies here.
        { "no rate means the documented default 1", """{"is_enabled":true,"fault_type":"exception","exception_msg":"chaos"}""", 0.99, new Outcome(0, null, null, null, "chaos", null, "exception", true) },
        // get_config: not value["is_enabled"] returns early; nothing else is read.
        { "is_enabled false ignores the rest", """{"is_enabled":false,"fault_type":"teapot","rate":"lots"}""", 0.5, Outcome.Untouched },
        // isinstance(delay, int) fails for 400.0: "Parameter delay is no valid int", the handler runs without chaos.
        { "a delay written as 400.0 is not an int", """{"is_enabled":true,"fault_type":"latency","delay":400.0,"rate":1}""", 0.5, Outcome.Refused },
        // A fault_type with no branch: the handler runs without chaos.
        { "an unknown fault_type injects nothing", """{"is_enabled":true,"fault_type":"teapot","rate":1}""", 0.5, Outcome.Refused },
        // value["is_enabled"] raises KeyError in every invocation (defect); refused with one log line here.
        { "a missing is_enabled is refused", """{"fault_type":"exception","exception_msg":"chaos","rate":1}""", 0.5, Outcome.Refused },
        // chaos_lambda 0.2's camelCase switch is read too.
        { "isEnabled from 0.2 is accepted", """{"isEnabled":true,"fault_type":"status_code","error_code":404,"rate":1}""", 0.5, Status404 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Each_document_behaves_as_chaos_lambda_0_3_behaves(string row, string document, double random, Outcome expected)
    {
        var outcome = await Outcome.RunAsync(document, random);

        outcome.ShouldBe(expected, row);
    }
}
