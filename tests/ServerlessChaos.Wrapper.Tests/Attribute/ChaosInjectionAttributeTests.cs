using System.Text;
using System.Text.Json;
using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Attribute;

/// <summary>Every handler shape, decorated only by <c>[ChaosInjection]</c> (woven at compile time), runs through <see cref="ChaosWrapper.Shared"/>.</summary>
[Collection(SharedWrapperCollection.Name)]
public sealed class ChaosInjectionAttributeTests : IDisposable
{
    private const string Status503 = """{"type":"statusCode","rate":1,"statusCode":503}""";
    private const string Throw = """{"type":"exception","rate":1,"exceptionType":"InvalidOperationException","message":"boom"}""";

    private readonly ChaosWrapper _previous = ChaosWrapper.Shared;
    private readonly Handlers _handlers = new();
    private Harness _harness = null!;

    public void Dispose() => ChaosWrapper.Shared = _previous;

    private Harness Arm(string? settings)
    {
        _harness = new Harness(settings);
        ChaosWrapper.Shared = _harness.Wrapper;
        return _harness;
    }

    [Fact]
    public async Task A_typed_async_handler_with_a_context_answers_the_status_fault_without_running()
    {
        var harness = Arm(Documents.Armed(Status503));

        var response = await _handlers.HttpWithContext(new APIGatewayHttpApiV2ProxyRequest(), harness.Context());

        response.StatusCode.ShouldBe(503);
        response.Headers["X-Chaos-Injected"].ShouldBe("statusCode");
        _handlers.Runs.ShouldBe(0);
        harness.FaultLines.ShouldHaveSingleItem().GetProperty("requestId").GetString().ShouldBe("req-1");
    }

    [Fact]
    public async Task A_typed_async_handler_without_a_context_is_decorated_too()
    {
        Arm(Documents.Armed(Status503));

        (await _handlers.HttpWithoutContext(new APIGatewayHttpApiV2ProxyRequest())).StatusCode.ShouldBe(503);
        _handlers.Runs.ShouldBe(0);
    }

    [Fact]
    public void A_synchronous_typed_handler_is_decorated()
    {
        var harness = Arm(Documents.Armed(Status503));

        _handlers.SyncHttp(new APIGatewayHttpApiV2ProxyRequest(), harness.Context()).StatusCode.ShouldBe(503);
        _handlers.Runs.ShouldBe(0);
    }

    [Fact]
    public async Task A_Task_handler_gets_the_injected_exception_instead_of_running()
    {
        var harness = Arm(Documents.Armed(Throw));

        (await Should.ThrowAsync<InvalidOperationException>(() => _handlers.NoResult("event", harness.Context()))).Message.ShouldBe("boom");
        _handlers.Runs.ShouldBe(0);
    }

    [Fact]
    public void A_void_handler_gets_the_injected_exception_instead_of_running()
    {
        var harness = Arm(Documents.Armed(Throw));

        Should.Throw<InvalidOperationException>(() => _handlers.Void("event", harness.Context())).Message.ShouldBe("boom");
        _handlers.Runs.ShouldBe(0);
    }

    [Fact]
    public async Task A_stream_handler_answers_the_status_fault_as_lambda_proxy_json()
    {
        var harness = Arm(Documents.Armed(Status503));

        using var output = await _handlers.Stream(new MemoryStream("{}"u8.ToArray()), harness.Context());

        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("statusCode").GetInt32().ShouldBe(503);
        _handlers.Runs.ShouldBe(0);
    }

    [Fact]
    public async Task An_sqs_handler_reports_the_injected_partial_batch_failures()
    {
        Arm(Documents.Armed("""{"type":"sqsBatchFailure","rate":1,"share":1}"""));
        var batch = new SQSEvent { Records = [new() { MessageId = "m-1", Body = "a" }, new() { MessageId = "m-2", Body = "b" }] };

        var response = await _handlers.Sqs(batch, _harness.Context());

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Order().ShouldBe(["m-1", "m-2"]);
    }

    [Fact]
    public async Task A_Lambda_Annotations_method_with_both_attributes_is_decorated()
    {
        var harness = Arm(Documents.Armed(Status503));

        var response = await new AnnotatedFunctions().GetOrder(new APIGatewayHttpApiV2ProxyRequest(), harness.Context());

        response.StatusCode.ShouldBe(503);
    }

    [Fact]
    public async Task Disarmed_every_shape_runs_its_handler_once_with_the_callers_arguments()
    {
        var harness = Arm(Documents.Disarmed);
        var request = new APIGatewayHttpApiV2ProxyRequest { RawPath = "/orders/7" };

        (await _handlers.HttpWithContext(request, harness.Context())).Body.ShouldBe("own /orders/7");
        (await _handlers.HttpWithoutContext(request)).Body.ShouldBe("own /orders/7");
        _handlers.SyncHttp(request, harness.Context()).Body.ShouldBe("own /orders/7");
        await _handlers.NoResult("event", harness.Context());
        _handlers.Void("event", harness.Context());
        using var output = new StreamReader(await _handlers.Stream(new MemoryStream("{\"a\":1}"u8.ToArray()), harness.Context()));

        (await output.ReadToEndAsync()).ShouldBe("{\"a\":1}");
        _handlers.Runs.ShouldBe(6);
        harness.Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task Not_opted_in_the_handler_runs_as_written()
    {
        ChaosWrapper.Shared = new ChaosWrapper(null, new ChaosOptions { LogWriter = TextWriter.Null });

        (await _handlers.HttpWithoutContext(new APIGatewayHttpApiV2ProxyRequest { RawPath = "/x" })).Body.ShouldBe("own /x");
        _handlers.Runs.ShouldBe(1);
    }

    [Fact]
    public async Task A_result_shape_the_wrapper_cannot_decorate_runs_without_chaos_and_says_so_once()
    {
        var harness = Arm(Documents.Armed(Status503));

        (await _handlers.ValueTaskResult("event", harness.Context())).ShouldBe("own");
        (await _handlers.ValueTaskResult("event", harness.Context())).ShouldBe("own");

        _handlers.Runs.ShouldBe(2);
        harness.ProblemLines.ShouldHaveSingleItem().GetProperty("message").GetString()!.ShouldContain(nameof(Handlers.ValueTaskResult));
    }

    [Fact]
    public void The_woven_handler_keeps_the_attribute_and_its_own_signature()
    {
        var method = typeof(Handlers).GetMethod(nameof(Handlers.HttpWithContext))!;

        method.GetCustomAttributes(typeof(ChaosInjectionAttribute), inherit: false).ShouldHaveSingleItem();
        method.GetParameters().Select(p => p.ParameterType).ShouldBe([typeof(APIGatewayHttpApiV2ProxyRequest), typeof(ILambdaContext)]);
    }

    /// <summary>Handlers as a function would write them: only the attribute, no Decorate call.</summary>
    public sealed class Handlers
    {
        public int Runs { get; private set; }

        [ChaosInjection]
        public Task<APIGatewayHttpApiV2ProxyResponse> HttpWithContext(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context)
        {
            Runs++;
            return Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "own " + request.RawPath });
        }

        [ChaosInjection]
        public async Task<APIGatewayHttpApiV2ProxyResponse> HttpWithoutContext(APIGatewayHttpApiV2ProxyRequest request)
        {
            await Task.Yield();
            Runs++;
            return new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "own " + request.RawPath };
        }

        [ChaosInjection]
        public APIGatewayHttpApiV2ProxyResponse SyncHttp(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context)
        {
            Runs++;
            return new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "own " + request.RawPath };
        }

        [ChaosInjection]
        public async Task NoResult(string input, ILambdaContext context)
        {
            await Task.Yield();
            Runs++;
        }

        [ChaosInjection]
        public void Void(string input, ILambdaContext context) => Runs++;

        [ChaosInjection]
        public async Task<Stream> Stream(Stream input, ILambdaContext context)
        {
            Runs++;
            var copy = new MemoryStream();
            await input.CopyToAsync(copy);
            copy.Position = 0;
            return copy;
        }

        [ChaosInjection]
        public Task<SQSBatchResponse> Sqs(SQSEvent batch, ILambdaContext context)
        {
            Runs++;
            return Task.FromResult(new SQSBatchResponse());
        }

        [ChaosInjection]
        public ValueTask<string> ValueTaskResult(string input, ILambdaContext context)
        {
            Runs++;
            return ValueTask.FromResult("own");
        }
    }

    /// <summary>A Lambda Annotations function: the generator calls this method, so the woven body is what runs.</summary>
    public sealed class AnnotatedFunctions
    {
        [Amazon.Lambda.Annotations.LambdaFunction]
        [ChaosInjection]
        public Task<APIGatewayHttpApiV2ProxyResponse> GetOrder(APIGatewayHttpApiV2ProxyRequest request, ILambdaContext context) =>
            Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "order" });
    }
}

/// <summary>Tests that replace <see cref="ChaosWrapper.Shared"/> run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SharedWrapperCollection
{
    public const string Name = "ChaosWrapper.Shared";
}
