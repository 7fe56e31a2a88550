using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class CorruptionTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static Task<APIGatewayHttpApiV2ProxyResponse> Ok(APIGatewayHttpApiV2ProxyRequest request, TestLambdaContext context) =>
        Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "{\"orders\":[1,2,3]}", Headers = new Dictionary<string, string>() });

    [Fact]
    public async Task Given_a_body_the_handlers_body_is_replaced_after_it_ran_and_the_fault_is_reported()
    {
        var harness = new Harness(Documents.Armed("""{"type":"corruption","rate":1,"body":"not json"}"""));
        var runs = 0;

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (r, c) => { runs++; return Ok(r, c); });

        runs.ShouldBe(1);
        (response.StatusCode, response.Body).ShouldBe((200, "not json"));
        response.Headers["X-Chaos-Injected"].ShouldBe("corruption");
        var line = harness.FaultLines.ShouldHaveSingleItem();
        line.GetProperty("details").GetProperty("method").GetString().ShouldBe("replace");
        harness.MetricLines.ShouldHaveSingleItem().GetProperty("FaultType").GetString().ShouldBe("corruption");
    }

    [Fact]
    public async Task Without_a_body_it_is_cut_where_the_random_number_says_and_marked()
    {
        // 18 characters, cut at floor(18 * (0.3 + 0.5 * 0.5)) = 9.
        var harness = new Harness(Documents.Armed("""{"type":"corruption","rate":1}"""), Sequence.Always(0.5));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), Ok);

        response.Body.ShouldBe("{\"orders\"" + "\uFFFD\uFFFD\uFFFD");
        harness.FaultLines.ShouldHaveSingleItem().GetProperty("details").GetProperty("method").GetString().ShouldBe("garble");
    }

    [Fact]
    public async Task A_stream_result_gets_its_json_body_replaced()
    {
        var harness = new Harness(Documents.Armed("""{"type":"corruption","rate":1,"body":"x"}"""));

        var output = await harness.Wrapper.InvokeStreamAsync(new MemoryStream("{}"u8.ToArray()), harness.Context(), (_, _) =>
            Task.FromResult<Stream>(new MemoryStream(Encoding.UTF8.GetBytes("""{"statusCode":201,"body":"created"}"""))));

        using var json = JsonDocument.Parse(output);
        (json.RootElement.GetProperty("statusCode").GetInt32(), json.RootElement.GetProperty("body").GetString()).ShouldBe((201, "x"));
    }

    [Fact]
    public async Task A_result_that_is_not_http_shaped_is_returned_unchanged_and_the_problem_logged()
    {
        var harness = new Harness(Documents.Armed("""{"type":"corruption","rate":1,"body":"x"}"""));
        var batch = new SQSBatchResponse();

        var result = await harness.Wrapper.InvokeAsync(new SQSEvent(), harness.Context(), (_, _) => Task.FromResult(batch));

        result.ShouldBeSameAs(batch);
        harness.FaultLines.ShouldBeEmpty();
        harness.ProblemLines.ShouldHaveSingleItem().GetProperty("message").GetString()!.ShouldContain("HTTP-shaped");
    }

    [Fact]
    public async Task A_status_fault_that_answers_first_leaves_nothing_to_corrupt()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}""", """{"type":"corruption","rate":1,"body":"x"}"""));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), Ok);

        (response.StatusCode, response.Body).ShouldBe((503, "{\"message\":\"Injected by ServerlessChaos\"}"));
    }
}
