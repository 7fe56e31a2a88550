using Amazon.Lambda.APIGatewayEvents;
using Amazon.Lambda.ApplicationLoadBalancerEvents;
using Amazon.Lambda.Core;
using Amazon.Lambda.SQSEvents;
using ServerlessChaos.Wrapper.Faults;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Lambda;

public class DecoratorTests
{
    private static readonly APIGatewayHttpApiV2ProxyRequest Get = new();

    private static Func<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, Task<APIGatewayHttpApiV2ProxyResponse>> Ok(Counter counter) =>
        (request, context) =>
        {
            counter.Calls++;
            return Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200, Body = "real", Headers = new Dictionary<string, string>() });
        };

    [Fact]
    public async Task A_function_that_did_not_opt_in_runs_untouched_and_logs_nothing()
    {
        var log = new StringWriter();
        var wrapper = new ChaosWrapper(null, new ChaosOptions { LogWriter = log });
        var counter = new Counter();

        var response = await wrapper.Decorate(Ok(counter))(Get, new TestLambdaContext());

        (response.StatusCode, response.Body, counter.Calls).ShouldBe((200, "real", 1));
        response.Headers.ShouldBeEmpty();
        log.ToString().ShouldBeEmpty();
        wrapper.IsOptedIn.ShouldBeFalse();
    }

    [Fact]
    public async Task Disarmed_settings_run_the_handler_once_and_inject_nothing()
    {
        var harness = new Harness(Documents.Disarmed);
        var counter = new Counter();

        var response = await harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());

        (response.StatusCode, counter.Calls).ShouldBe((200, 1));
        harness.Lines.ShouldBeEmpty();
        harness.Source.FetchCount.ShouldBe(1);
    }

    [Fact]
    public async Task A_missing_parameter_is_the_disarmed_baseline()
    {
        var harness = new Harness(null);
        var counter = new Counter();

        var response = await harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());

        (response.StatusCode, counter.Calls).ShouldBe((200, 1));
        harness.Lines.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_status_fault_within_rate_the_handler_does_not_run_and_the_response_names_the_fault()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":0.6,"statusCode":503,"body":"{\"message\":\"down\"}","headers":{"Retry-After":"1"}}"""));
        var counter = new Counter();

        var response = await harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());

        counter.Calls.ShouldBe(0);
        response.StatusCode.ShouldBe(503);
        response.Body.ShouldBe("{\"message\":\"down\"}");
        response.Headers["X-Chaos-Injected"].ShouldBe("statusCode");
        response.Headers["Retry-After"].ShouldBe("1");
    }

    [Fact]
    public async Task Given_status_fault_outside_rate_the_handler_answers()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":0.4,"statusCode":503}"""));
        var counter = new Counter();

        var response = await harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());

        (response.StatusCode, response.Body, counter.Calls).ShouldBe((200, "real", 1));
        response.Headers.ShouldNotContainKey("X-Chaos-Injected");
        harness.FaultLines.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_rate_of_zero_never_fires_and_a_rate_of_one_always_fires()
    {
        var never = new Harness(Documents.Armed("""{"type":"statusCode","rate":0,"statusCode":503}"""), Sequence.Always(0));
        var always = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), Sequence.Always(0.999999));

        (await never.Wrapper.Decorate(Ok(new Counter()))(Get, never.Context())).StatusCode.ShouldBe(200);
        (await always.Wrapper.Decorate(Ok(new Counter()))(Get, always.Context())).StatusCode.ShouldBe(503);
    }

    [Fact]
    public async Task Status_responses_are_built_for_api_gateway_v1_and_alb_shapes_too()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":429}"""));

        var v1 = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) => Task.FromResult(new APIGatewayProxyResponse { StatusCode = 200 }));
        var alb = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) => Task.FromResult(new ApplicationLoadBalancerResponse { StatusCode = 200 }));

        (v1.StatusCode, v1.Body, v1.Headers["X-Chaos-Injected"], v1.IsBase64Encoded).ShouldBe((429, StatusCodeFaultSettings.DefaultBody, "statusCode", false));
        (alb.StatusCode, alb.StatusDescription, alb.Headers["X-Chaos-Injected"]).ShouldBe((429, "429 Too Many Requests", "statusCode"));
    }

    [Fact]
    public async Task Each_status_answer_is_a_fresh_response_the_caller_owns()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503,"headers":{"Retry-After":"1"}}"""));
        var handler = harness.Wrapper.Decorate(Ok(new Counter()));

        var first = await handler(Get, harness.Context());
        first.StatusCode = 200;
        first.Body = "changed by the caller";
        first.Headers["Retry-After"] = "60";
        first.Headers["X-Added"] = "yes";
        var second = await handler(Get, harness.Context());

        second.ShouldNotBeSameAs(first);
        second.Headers.ShouldNotBeSameAs(first.Headers);
        (second.StatusCode, second.Body, second.IsBase64Encoded).ShouldBe((503, StatusCodeFaultSettings.DefaultBody, false));
        second.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).ShouldBe(
            [new KeyValuePair<string, string>("Retry-After", "1"), new KeyValuePair<string, string>("X-Chaos-Injected", "statusCode")]);
    }

    /// <summary>A response type made through its constructor: the answer is read from its JSON each time.</summary>
    public sealed record ConstructedResponse(int StatusCode, IDictionary<string, string>? Headers, string? Body);

    [Fact]
    public async Task A_response_type_with_constructor_parameters_gets_the_same_status_answer()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        var handler = harness.Wrapper.Decorate<APIGatewayHttpApiV2ProxyRequest, TestLambdaContext, ConstructedResponse>(
            (_, _) => Task.FromResult(new ConstructedResponse(200, null, "real")));

        var first = await handler(Get, harness.Context());
        var second = await handler(Get, harness.Context());

        (first.StatusCode, first.Body, first.Headers!["X-Chaos-Injected"]).ShouldBe((503, StatusCodeFaultSettings.DefaultBody, "statusCode"));
        second.ShouldNotBeSameAs(first);
        second.Headers.ShouldNotBeSameAs(first.Headers);
        second.ShouldBeEquivalentTo(first);
    }

    [Fact]
    public async Task With_run_handler_the_handler_runs_once_and_its_response_is_overridden()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":500,"runHandler":true}"""));
        var counter = new Counter();

        var response = await harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());

        counter.Calls.ShouldBe(1);
        (response.StatusCode, response.Body, response.Headers["X-Chaos-Injected"]).ShouldBe((500, "real", "statusCode"));
    }

    [Fact]
    public async Task Multi_value_headers_in_use_also_carry_the_fault_header()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":502,"runHandler":true}"""));

        var response = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) => Task.FromResult(new APIGatewayProxyResponse
        {
            StatusCode = 200,
            MultiValueHeaders = new Dictionary<string, IList<string>>(),
        }));

        response.MultiValueHeaders["X-Chaos-Injected"].ShouldBe(["statusCode"]);
        response.Headers["X-Chaos-Injected"].ShouldBe("statusCode");
    }

    [Fact]
    public async Task The_fault_header_name_is_configurable()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), configure: o => o.InjectedHeader = "X-Game-Day");

        var response = await harness.Wrapper.Decorate(Ok(new Counter()))(Get, harness.Context());

        response.Headers.ShouldContainKey("X-Game-Day");
        response.Headers.ShouldNotContainKey("X-Chaos-Injected");
    }

    [Fact]
    public async Task Given_exception_fault_the_chosen_type_is_thrown_marked_as_injected_and_the_handler_never_runs()
    {
        var harness = new Harness(Documents.Armed("""{"type":"exception","rate":0.6,"exceptionType":"TimeoutException","message":"boom"}"""));
        var counter = new Counter();

        var thrown = await Should.ThrowAsync<TimeoutException>(() => harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context()));

        thrown.Message.ShouldBe("boom");
        thrown.Data[InjectedExceptions.DataKey].ShouldBe("exception");
        counter.Calls.ShouldBe(0);
        harness.FaultLines.Single().GetProperty("fault").GetString().ShouldBe("exception");
    }

    [Fact]
    public async Task Given_every_fault_at_rate_one_the_handler_runs_exactly_once()
    {
        var harness = new Harness(Documents.Armed(
            """{"type":"latency","rate":1,"ms":10}""",
            """{"type":"statusCode","rate":1,"statusCode":503,"runHandler":true}""",
            """{"type":"sqsBatchFailure","rate":1,"share":1}""",
            """{"type":"dependency","rate":1,"hosts":["example.com"],"fault":{"kind":"connection"}}"""));
        var counter = new Counter();

        var invocation = harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());
        await harness.UntilTimerPendingAsync();
        harness.Clock.Advance(TimeSpan.FromMilliseconds(10));
        var response = await invocation;

        counter.Calls.ShouldBe(1);
        response.StatusCode.ShouldBe(503);
        response.Headers["X-Chaos-Injected"].ShouldBe("latency,statusCode");
    }

    [Fact]
    public async Task The_injected_header_names_the_faults_in_the_order_they_were_applied_not_in_document_order()
    {
        var harness = new Harness(Documents.Armed(
            """{"type":"corruption","rate":1,"body":"x"}""",
            """{"type":"clockSkew","rate":1,"offsetMs":1000}""",
            """{"type":"latency","rate":1,"ms":0}""",
            """{"type":"latency","rate":1,"ms":0}"""));

        var response = await harness.Wrapper.Decorate(Ok(new Counter()))(Get, harness.Context());

        (response.Body, response.Headers["X-Chaos-Injected"]).ShouldBe(("x", "latency,latency,clockSkew,corruption"));
    }

    [Fact]
    public async Task A_status_answer_names_the_faults_applied_before_it()
    {
        var harness = new Harness(Documents.Armed(
            """{"type":"statusCode","rate":1,"statusCode":503}""",
            """{"type":"latency","rate":1,"ms":0}"""));
        var counter = new Counter();

        var response = await harness.Wrapper.Decorate(Ok(counter))(Get, harness.Context());

        (counter.Calls, response.StatusCode, response.Headers["X-Chaos-Injected"]).ShouldBe((0, 503, "latency,statusCode"));
    }

    [Fact]
    public async Task A_handler_that_throws_is_not_retried_by_the_wrapper()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503,"runHandler":true}"""));
        var calls = 0;

        await Should.ThrowAsync<InvalidOperationException>(() => harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, ILambdaContext, APIGatewayHttpApiV2ProxyResponse>(
            Get, harness.Context(), (_, _) =>
            {
                calls++;
                throw new InvalidOperationException("real failure");
            }));

        calls.ShouldBe(1);
    }

    [Fact]
    public async Task Settings_past_expiry_inject_nothing_even_before_the_cache_refreshes()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), configure: o => (o.ArmedTtl, o.MaxUnconfirmedArmed) = (TimeSpan.FromHours(2), TimeSpan.FromHours(2)));
        var handler = harness.Wrapper.Decorate(Ok(new Counter()));

        (await handler(Get, harness.Context())).StatusCode.ShouldBe(503);
        harness.Clock.Advance(TimeSpan.FromHours(1));
        (await handler(Get, harness.Context())).StatusCode.ShouldBe(200);
        harness.Source.FetchCount.ShouldBe(1);
    }

    [Theory]
    [InlineData("true", 200)]
    [InlineData("""{"halted":true,"by":"chaos halt"}""", 200)]
    [InlineData("false", 503)]
    [InlineData("off", 503)]
    public async Task The_halt_parameter_stops_every_fault(string halt, int expectedStatus)
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""), halt: halt);

        var response = await harness.Wrapper.Decorate(Ok(new Counter()))(Get, harness.Context());

        response.StatusCode.ShouldBe(expectedStatus);
    }

    [Fact]
    public async Task Invalid_settings_inject_nothing_and_are_logged_once_per_version()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":7,"statusCode":503}"""));
        var handler = harness.Wrapper.Decorate(Ok(new Counter()));

        for (var i = 0; i < 3; i++)
        {
            (await handler(Get, harness.Context())).StatusCode.ShouldBe(200);
            harness.Clock.Advance(TimeSpan.FromMinutes(2));
        }

        harness.Source.FetchCount.ShouldBe(3);
        var problem = harness.ProblemLines.ShouldHaveSingleItem();
        problem.GetProperty("errors")[0].GetString().ShouldBe("settings.faults[0].rate must be between 0 and 1 (was 7)");
        problem.GetProperty("source").GetString().ShouldBe("memory");

        harness.Source.Settings = Documents.Armed("""{"type":"latency","rate":1}""");
        (await handler(Get, harness.Context())).StatusCode.ShouldBe(200);
        harness.ProblemLines.Count.ShouldBe(2);
        harness.ProblemLines[1].GetProperty("errors")[0].GetString().ShouldBe("settings.faults[0].minMs is required (a whole number between 0 and 900000)");
    }

    [Fact]
    public async Task Each_injected_fault_writes_one_log_line_and_one_emf_record()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));
        var context = harness.Context();
        context.AwsRequestId = "req-42";

        await harness.Wrapper.Decorate(Ok(new Counter()))(Get, context);

        var log = harness.FaultLines.ShouldHaveSingleItem();
        log.GetProperty("level").GetString().ShouldBe("WARN");
        log.GetProperty("fault").GetString().ShouldBe("statusCode");
        log.GetProperty("experimentId").GetString().ShouldBe("exp-1");
        log.GetProperty("function").GetString().ShouldBe("checkout");
        log.GetProperty("requestId").GetString().ShouldBe("req-42");
        log.GetProperty("details").GetProperty("statusCode").GetInt32().ShouldBe(503);

        var emf = harness.MetricLines.ShouldHaveSingleItem();
        var directive = emf.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0];
        directive.GetProperty("Namespace").GetString().ShouldBe("ServerlessChaos");
        directive.GetProperty("Metrics")[0].GetProperty("Name").GetString().ShouldBe("FaultsInjected");
        directive.GetProperty("Dimensions")[0].EnumerateArray().Select(d => d.GetString()).ShouldBe(["FaultType", "FunctionName"]);
        emf.GetProperty("_aws").GetProperty("Timestamp").GetInt64().ShouldBe(harness.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        emf.GetProperty("FaultType").GetString().ShouldBe("statusCode");
        emf.GetProperty("FunctionName").GetString().ShouldBe("checkout");
        emf.GetProperty("FaultsInjected").GetInt32().ShouldBe(1);
    }

    [Fact]
    public async Task Sqs_batch_failure_reports_the_chosen_share_and_keeps_the_handlers_own_failures()
    {
        // Rate roll, then one pick per failed message.
        var random = new Sequence(0.1, 0.0, 0.0);
        var harness = new Harness(Documents.Armed("""{"type":"sqsBatchFailure","rate":1,"share":0.5}"""), random.Next);
        var batch = new SQSEvent { Records = [.. Enumerable.Range(1, 4).Select(i => new SQSEvent.SQSMessage { MessageId = $"m{i}" })] };
        var handled = 0;

        var response = await harness.Wrapper.InvokeAsync(batch, harness.Context(), (e, _) =>
        {
            handled += e.Records.Count;
            return Task.FromResult(new SQSBatchResponse([new SQSBatchResponse.BatchItemFailure { ItemIdentifier = "m3" }]));
        });

        handled.ShouldBe(4);
        response.BatchItemFailures.Select(f => f.ItemIdentifier).ShouldBe(["m3", "m1", "m2"]);
        harness.FaultLines.Single().GetProperty("details").GetProperty("failedItems").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task Sqs_batch_failure_creates_the_response_when_the_handler_returned_none()
    {
        var harness = new Harness(Documents.Armed("""{"type":"sqsBatchFailure","rate":1}"""), Sequence.Always(0));
        var batch = new SQSEvent { Records = [new SQSEvent.SQSMessage { MessageId = "only" }] };

        var response = await harness.Wrapper.InvokeAsync(batch, harness.Context(), (_, _) => Task.FromResult<SQSBatchResponse>(null!));

        response.BatchItemFailures.Single().ItemIdentifier.ShouldBe("only");
    }

    [Fact]
    public async Task Handlers_without_a_result_run_once_and_can_get_an_exception()
    {
        var quiet = new Harness(Documents.Disarmed);
        var failing = new Harness(Documents.Armed("""{"type":"exception","rate":1}"""));
        var calls = 0;
        Task Handler(SQSEvent e, ILambdaContext c)
        {
            calls++;
            return Task.CompletedTask;
        }

        await quiet.Wrapper.Decorate<SQSEvent, ILambdaContext>(Handler)(new SQSEvent(), quiet.Context());
        var thrown = await Should.ThrowAsync<Exception>(() => failing.Wrapper.Decorate<SQSEvent, ILambdaContext>(Handler)(new SQSEvent(), failing.Context()));

        calls.ShouldBe(1);
        thrown.Message.ShouldBe("Injected by ServerlessChaos");
    }

    [Fact]
    public async Task Status_faults_on_results_that_are_not_http_responses_let_the_handler_answer()
    {
        var harness = new Harness(Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""));

        var result = await harness.Wrapper.InvokeAsync(Get, harness.Context(), (_, _) => Task.FromResult("plain"));

        result.ShouldBe("plain");
        harness.FaultLines.ShouldBeEmpty();
    }

    public sealed class Counter
    {
        public int Calls { get; set; }
    }
}
