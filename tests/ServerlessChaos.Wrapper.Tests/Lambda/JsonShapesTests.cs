using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper.Lambda;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Lambda;

/// <summary>The source-generated metadata an AOT function has for its event and result types.</summary>
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyRequest))]
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
[JsonSerializable(typeof(SQSEvent))]
[JsonSerializable(typeof(SQSBatchResponse))]
public sealed partial class FunctionJsonContext : JsonSerializerContext;

/// <summary>A context that knows only the HTTP types: what a function gets when it forgot to list a type.</summary>
[JsonSerializable(typeof(APIGatewayHttpApiV2ProxyResponse))]
public sealed partial class IncompleteJsonContext : JsonSerializerContext;

public sealed class JsonShapesTests
{
    private static readonly JsonShapes Shapes = new(FunctionJsonContext.Default);

    private static APIGatewayHttpApiV2ProxyRequest Request(string method) =>
        new() { RequestContext = new() { Http = new() { Method = method, Path = "/orders" } } };

    private static SQSEvent Batch(params string[] ids) =>
        new() { Records = [.. ids.Select(id => new SQSEvent.SQSMessage { MessageId = id, Body = "body-" + id })] };

    [Fact]
    public async Task Nested_members_of_a_typed_event_match_through_the_functions_serializer_context()
    {
        var harness = new Harness(
            Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503,"match":[{"path":"requestContext.http.method","op":"eq","value":"POST"}]}"""),
            configure: o => o.JsonTypeInfoResolver = FunctionJsonContext.Default);
        Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> handler =
            (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "real" });

        var post = await harness.Wrapper.InvokeAsync(Request("POST"), harness.Context(), handler);
        var get = await harness.Wrapper.InvokeAsync(Request("GET"), harness.Context(), handler);

        (post.StatusCode, post.Headers["X-Chaos-Injected"]).ShouldBe((503, "statusCode"));
        (get.StatusCode, get.Body).ShouldBe((200, "real"));
    }

    [Fact]
    public async Task Sqs_message_ids_are_read_from_the_records_list_and_failures_added_to_the_typed_response()
    {
        var harness = new Harness(Documents.Armed("""{"type":"sqsBatchFailure","rate":1,"share":1}"""), Sequence.Always(0),
            configure: o => o.JsonTypeInfoResolver = FunctionJsonContext.Default);

        var response = await harness.Wrapper.InvokeAsync(Batch("a", "b"), harness.Context(), (_, _) => Task.FromResult(new SQSBatchResponse()));

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Order().ShouldBe(["a", "b"]);
    }

    [Fact]
    public async Task A_type_missing_from_the_context_skips_the_fault_with_one_log_line_per_settings_version()
    {
        var harness = new Harness(
            Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503,"match":[{"path":"requestContext.http.method","op":"eq","value":"POST"}]}"""),
            configure: o => o.JsonTypeInfoResolver = IncompleteJsonContext.Default);
        Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> handler =
            (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 });

        for (var i = 0; i < 3; i++)
        {
            (await harness.Wrapper.InvokeAsync(Request("POST"), harness.Context(), handler)).StatusCode.ShouldBe(200);
            harness.Clock.Advance(TimeSpan.FromSeconds(6));
        }

        var problem = harness.ProblemLines.ShouldHaveSingleItem().GetProperty("message").GetString()!;
        problem.ShouldContain("APIGatewayHttpApiV2ProxyRequest");
        problem.ShouldContain("JsonTypeInfoResolver");
    }

    [Fact]
    public async Task A_result_type_that_cannot_carry_batch_failures_is_logged_not_silently_ignored()
    {
        var harness = new Harness(Documents.Armed("""{"type":"sqsBatchFailure","rate":1,"share":1}"""), Sequence.Always(0),
            configure: o => o.JsonTypeInfoResolver = FunctionJsonContext.Default);

        await harness.Wrapper.InvokeAsync(Batch("a"), harness.Context(), (_, _) => Task.CompletedTask);

        harness.FaultLines.ShouldBeEmpty();
        harness.ProblemLines.ShouldHaveSingleItem().GetProperty("message").GetString()!.ShouldContain("sqsBatchFailure fault cannot apply");
    }

    [Fact]
    public void Records_of_a_typed_event_can_be_duplicated_removed_and_reordered()
    {
        var rewrote = Shapes.TryRewrite(
            Batch("a", "b", "c"),
            json => EventRecords.Rewrite(json, records => [records[2], records[0], records[0]]),
            out var rewritten);

        rewrote.ShouldBeTrue();
        rewritten.Records.Select(r => (r.MessageId, r.Body)).ShouldBe([("c", "body-c"), ("a", "body-a"), ("a", "body-a")]);
        rewritten.Records[1].ShouldNotBeSameAs(rewritten.Records[2]);
    }

    [Fact]
    public void An_event_without_records_is_left_alone()
    {
        var request = Request("GET");

        Shapes.TryRewrite(request, json => EventRecords.Rewrite(json, records => []), out var rewritten).ShouldBeFalse();

        rewritten.ShouldBeSameAs(request);
    }

    [Fact]
    public void The_body_of_a_typed_http_result_can_be_rewritten_keeping_the_rest()
    {
        var results = Shapes.Results<APIGatewayHttpApiV2ProxyResponse>();
        var original = new APIGatewayHttpApiV2ProxyResponse { StatusCode = 201, Body = "{\"id\":1}", Cookies = ["a=1"], Headers = new Dictionary<string, string> { ["h"] = "v" } };

        results.TryRewriteBody(original, body => body + "garbage", out var changed).ShouldBeTrue();

        (changed.StatusCode, changed.Body, changed.Cookies.Single(), changed.Headers["h"]).ShouldBe((201, "{\"id\":1}garbage", "a=1", "v"));
    }

    [Fact]
    public void A_non_http_result_has_no_body_to_rewrite()
    {
        Shapes.Results<SQSBatchResponse>().TryRewriteBody(new SQSBatchResponse(), body => "x", out _).ShouldBeFalse();
    }

    [Fact]
    public void The_body_of_a_stream_result_can_be_rewritten()
    {
        var stream = new MemoryStream("""{"statusCode":200,"body":"ok"}"""u8.ToArray());

        StreamResultAdapter.Instance.TryRewriteBody(stream, body => body!.ToUpperInvariant(), out var changed).ShouldBeTrue();

        var json = JsonNode.Parse(changed)!;
        ((int)json["statusCode"]!, (string)json["body"]!).ShouldBe((200, "OK"));
    }
}
