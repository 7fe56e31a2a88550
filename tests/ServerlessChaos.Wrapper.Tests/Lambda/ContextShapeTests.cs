using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Lambda;

public sealed class ContextShapeTests
{
    [Fact]
    public async Task A_context_typed_as_the_ILambdaContext_interface_gives_its_request_id_function_name_and_deadline()
    {
        // The handler's context parameter is the interface, as in every real Lambda handler signature.
        var harness = new Harness(Documents.Armed("""{"type":"latency","rate":1,"ms":60000}"""));
        ILambdaContext context = harness.Context(TimeSpan.FromSeconds(2));
        ((TestLambdaContext)context).AwsRequestId = "req-interface";

        var call = harness.Wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), context, (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));
        await harness.UntilTimerPendingAsync();
        harness.Clock.Advance(TimeSpan.FromSeconds(2));
        (await call).StatusCode.ShouldBe(200);

        var line = harness.FaultLines.ShouldHaveSingleItem();
        line.GetProperty("requestId").GetString().ShouldBe("req-interface");
        line.GetProperty("function").GetString().ShouldBe("checkout");
        // 60 s asked for, cut to end the deadline margin (100 ms) before the 2 s the context has left.
        line.GetProperty("details").GetProperty("delayMs").GetInt64().ShouldBe(1900);
    }

    [Fact]
    public async Task A_context_whose_members_throw_is_read_as_having_none_and_the_handler_still_answers()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));

        var response = await harness.Wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), new ThrowingContext(), (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));

        response.StatusCode.ShouldBe(503);
        var line = harness.FaultLines.ShouldHaveSingleItem();
        line.GetProperty("requestId").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
    }

    public sealed class ThrowingContext
    {
        public string AwsRequestId => throw new InvalidOperationException("no request id");

        public TimeSpan RemainingTime => throw new InvalidOperationException("no deadline");
    }
}
