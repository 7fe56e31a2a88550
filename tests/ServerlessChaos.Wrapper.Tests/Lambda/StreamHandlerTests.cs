using System.Text;
using System.Text.Json;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Lambda;

public class StreamHandlerTests
{
    private static MemoryStream Json(string text) => new(Encoding.UTF8.GetBytes(text));

    private static JsonElement Read(Stream stream)
    {
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }

    private static Func<Stream, TestLambdaContext, Task<Stream>> Echo(List<string> seen) => async (input, _) =>
    {
        using var reader = new StreamReader(input);
        seen.Add(await reader.ReadToEndAsync());
        return Json("""{"statusCode":200,"headers":{"content-type":"application/json"},"body":"own"}""");
    };

    [Fact]
    public async Task A_status_fault_answers_with_a_lambda_proxy_json_response_without_running_the_handler()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        var seen = new List<string>();

        var output = Read(await harness.Wrapper.DecorateStream<TestLambdaContext>(Echo(seen))(Json("{}"), harness.Context()));

        seen.ShouldBeEmpty();
        output.GetProperty("statusCode").GetInt32().ShouldBe(503);
        output.GetProperty("headers").GetProperty("X-Chaos-Injected").GetString().ShouldBe("statusCode");
        output.GetProperty("isBase64Encoded").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Conditions_read_the_json_event_and_the_handler_still_gets_the_whole_event()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":500,"runHandler":true,"match":{"path":"requestContext.http.method","value":"POST"}}"""));
        var seen = new List<string>();
        const string post = """{"requestContext":{"http":{"method":"POST"}}}""";
        const string get = """{"requestContext":{"http":{"method":"GET"}}}""";

        var hit = Read(await harness.Wrapper.InvokeStreamAsync(Json(post), harness.Context(), Echo(seen)));
        var miss = Read(await harness.Wrapper.InvokeStreamAsync(Json(get), harness.Context(), Echo(seen)));

        seen.ShouldBe([post, get]);
        (hit.GetProperty("statusCode").GetInt32(), hit.GetProperty("body").GetString()).ShouldBe((500, "own"));
        hit.GetProperty("headers").GetProperty("content-type").GetString().ShouldBe("application/json");
        miss.GetProperty("statusCode").GetInt32().ShouldBe(200);
    }

    [Fact]
    public async Task Sqs_batch_failures_are_written_into_the_json_result()
    {
        var harness = new Harness(Documents.Armed("""{"type":"sqsBatchFailure","rate":1,"share":1}"""), Sequence.Always(0));
        const string batch = """{"Records":[{"messageId":"a","body":"1"},{"messageId":"b","body":"2"}]}""";

        var output = Read(await harness.Wrapper.InvokeStreamAsync(Json(batch), harness.Context(), (_, _) => Task.FromResult<Stream>(new MemoryStream())));

        output.GetProperty("batchItemFailures").EnumerateArray().Select(f => f.GetProperty("itemIdentifier").GetString()).Order().ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task A_non_json_event_simply_does_not_match()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503,"match":{"path":"a","op":"exists"}}"""));
        var seen = new List<string>();

        var output = Read(await harness.Wrapper.InvokeStreamAsync(Json("plain text"), harness.Context(), Echo(seen)));

        seen.ShouldBe(["plain text"]);
        output.GetProperty("statusCode").GetInt32().ShouldBe(200);
    }
}
