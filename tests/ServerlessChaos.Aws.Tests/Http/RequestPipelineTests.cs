using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Aws.Tests.Support;
using static ServerlessChaos.Aws.Tests.Support.FakeAwsServer;
using static ServerlessChaos.Testing.LoopbackServer;

namespace ServerlessChaos.Aws.Tests.Http;

/// <summary>
/// The request pipeline every signed client shares (retries, backoff, error parsing, timeouts, cancellation),
/// driven through the Step Functions client (AWS JSON 1.0) against a loopback server.
/// </summary>
public sealed class RequestPipelineTests : IAsyncLifetime
{
    private const string Arn = "arn:aws:states:us-east-1:123456789012:execution:chaos:run-1";
    private const string Running = """{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:chaos:run-1","stateMachineArn":"arn:sm","name":"run-1","status":"RUNNING","startDate":1763769600}""";
    private readonly TestClients _clients = new();
    private FakeAwsServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private StepFunctionsClient Client(int maxAttempts = 3) => new(_clients.Options(_server.Url, maxAttempts));

    [Fact]
    public async Task A_request_is_signed_json_1_0_with_the_session_token_and_the_clock()
    {
        _server.Reply(Json(200, Running, contentType: "application/x-amz-json-1.0"));

        (await Client().DescribeExecutionAsync(Arn)).Status.ShouldBe(StepFunctionsExecutionStatus.Running);

        var request = _server.Requests.Single();
        (request.Method, request.Path).ShouldBe(("POST", "/"));
        request.Header("x-amz-target").ShouldBe("AWSStepFunctions.DescribeExecution");
        request.Header("content-type").ShouldBe("application/x-amz-json-1.0");
        request.Header("x-amz-security-token").ShouldBe("session-token");
        request.Header("x-amz-date").ShouldBe("20261122T000000Z");
        request.Header("authorization")!.ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/states/aws4_request, SignedHeaders=");
    }

    [Fact]
    public async Task A_missing_resource_is_a_typed_error_with_code_message_request_id_and_status_and_is_not_retried()
    {
        _server.Reply(Json(400, """{"__type":"com.amazonaws.swf.service.v2.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: 'arn'"}""", requestId: "abc-123"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().DescribeExecutionAsync(Arn));

        error.Service.ShouldBe("StepFunctions");
        error.Operation.ShouldBe("DescribeExecution");
        error.ErrorCode.ShouldBe("ExecutionDoesNotExist");
        error.AwsMessage.ShouldBe("Execution Does Not Exist: 'arn'");
        error.RequestId.ShouldBe("abc-123");
        error.HttpStatus.ShouldBe(400);
        error.Message.ShouldContain("StepFunctions DescribeExecution failed: ExecutionDoesNotExist");
        _server.Requests.Count.ShouldBe(1);
        _clients.Delays.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("ThrottlingException", 400)]
    [InlineData("TooManyRequestsException", 400)]
    [InlineData("Throttling", 400)]
    [InlineData("RequestLimitExceeded", 400)]
    [InlineData("SomethingElse", 429)]
    [InlineData("InternalServerError", 500)]
    [InlineData("ServiceUnavailable", 503)]
    public async Task Throttling_and_server_errors_are_retried_with_backoff_then_succeed(string code, int status)
    {
        _server.Reply(
            Json(status, $$"""{"__type":"{{code}}","message":"slow down"}"""),
            Json(status, $$"""{"__type":"{{code}}","message":"slow down"}"""),
            Json(200, Running));

        (await Client().DescribeExecutionAsync(Arn)).Name.ShouldBe("run-1");

        _server.Requests.Count.ShouldBe(3);
        // Full jitter with random 0.5: half of 100 ms, then half of 200 ms.
        _clients.Delays.ShouldBe([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)]);
    }

    [Fact]
    public async Task Retries_stop_after_MaxAttempts_and_the_last_error_is_thrown()
    {
        _server.Reply(Json(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", requestId: "last"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client(maxAttempts: 4).DescribeExecutionAsync(Arn));

        error.ErrorCode.ShouldBe("ThrottlingException");
        error.RequestId.ShouldBe("last");
        _server.Requests.Count.ShouldBe(4);
        _clients.Delays.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("ValidationException")]
    [InlineData("AccessDeniedException")]
    [InlineData("ExecutionAlreadyExists")]
    public async Task Validation_and_other_client_errors_are_not_retried(string code)
    {
        _server.Reply(Json(400, $$"""{"__type":"{{code}}","message":"no"}"""));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().StartExecutionAsync("arn:sm", "run-1", "{}"));

        error.ErrorCode.ShouldBe(code);
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Pagination_stops_with_a_typed_error_when_the_service_repeats_a_token()
    {
        _server.Reply(Json(200, """{"executions":[{"executionArn":"e1","status":"RUNNING","startDate":1}],"nextToken":"same"}"""));

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(async () =>
        {
            await foreach (var _ in Client().ListExecutionsAsync("arn:sm"))
            {
            }
        });

        error.Message.ShouldContain("repeated the previous page token");
        _server.Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"executionArn\":\"a\",\"sta", "not valid JSON")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("{\"executionArn\":\"a\",\"startDate\":1}", "status is missing")]
    [InlineData("{\"executionArn\":\"a\",\"status\":42,\"startDate\":1}", "status must be a string")]
    public async Task Malformed_success_replies_are_typed_errors_that_say_what_is_wrong(string body, string expected)
    {
        _server.Reply(Json(200, body, requestId: "rid-9"));

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(() => Client().DescribeExecutionAsync(Arn));

        error.Message.ShouldContain(expected);
        error.ErrorCode.ShouldBe(AwsMalformedResponseException.Code);
        error.RequestId.ShouldBe("rid-9");
        error.HttpStatus.ShouldBe(200);
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_html_success_page_is_a_malformed_response_error()
    {
        _server.Reply(Raw(200, "<html><body>Captive portal</body></html>", "text/html"));

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(() => Client().DescribeExecutionAsync(Arn));

        error.Message.ShouldContain("HTML page");
        error.Message.ShouldContain("Captive portal");
    }

    [Fact]
    public async Task An_html_502_page_is_retried_then_reported_with_its_status_and_an_unknown_code()
    {
        _server.Reply(Raw(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client(maxAttempts: 2).DescribeExecutionAsync(Arn));

        error.HttpStatus.ShouldBe(502);
        error.ErrorCode.ShouldBe("UnknownError");
        error.AwsMessage.ShouldContain("not JSON (text/html)");
        error.AwsMessage.ShouldContain("502 Bad Gateway");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task An_error_with_an_empty_body_takes_its_code_from_the_header()
    {
        _server.Reply(Json(400, "", headers: ("x-amzn-ErrorType", "AccessDeniedException:http://internal.amazon.com/coral/")));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().DescribeExecutionAsync(Arn));

        error.ErrorCode.ShouldBe("AccessDeniedException");
        error.AwsMessage.ShouldContain("empty body");
    }

    [Fact]
    public async Task An_xml_error_body_on_a_json_api_gives_its_code_and_message_and_is_not_retried()
    {
        _server.Reply(Raw(403, """<?xml version="1.0" encoding="utf-8"?><ErrorResponse><Errors><Error><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/ops is not authorized to perform: states:DescribeExecution</Message><Type>Sender</Type></Error></Errors></ErrorResponse>""", "text/xml"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().DescribeExecutionAsync(Arn));

        error.ErrorCode.ShouldBe("AccessDenied");
        error.AwsMessage.ShouldBe("User: arn:aws:iam::123456789012:user/ops is not authorized to perform: states:DescribeExecution");
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task An_unknown_error_code_is_kept_as_sent()
    {
        _server.Reply(Json(400, """{"__type":"aws.states#BrandNewProblem","Message":"something new"}"""));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().DescribeExecutionAsync(Arn));

        error.ErrorCode.ShouldBe("BrandNewProblem");
        error.AwsMessage.ShouldBe("something new");
    }

    [Fact]
    public async Task A_truncated_reply_is_retried_as_a_network_error_then_reported()
    {
        _server.Reply(Truncated("{\"executionArn\":\"a", announcedLength: 500));

        var error = await Should.ThrowAsync<AwsNetworkException>(() => Client(maxAttempts: 2).DescribeExecutionAsync(Arn));

        error.Message.ShouldContain("truncated");
        _server.Requests.Count.ShouldBe(2);
        _clients.Delays.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_truncated_reply_then_success_succeeds()
    {
        _server.Reply(Truncated("{\"executionArn\":\"a", announcedLength: 500), Json(200, Running));

        (await Client().DescribeExecutionAsync(Arn)).Name.ShouldBe("run-1");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_connection_is_a_network_error_after_the_retries()
    {
        var port = _server.Url.Port;
        await _server.DisposeAsync();
        _server = await StartAsync();
        var client = new StepFunctionsClient(_clients.Options(new Uri($"http://127.0.0.1:{port}/"), maxAttempts: 3));

        var error = await Should.ThrowAsync<AwsNetworkException>(() => client.DescribeExecutionAsync(Arn));

        error.Service.ShouldBe("StepFunctions");
        error.HttpStatus.ShouldBeNull();
        _clients.Delays.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_reply_slower_than_the_timeout_is_a_timeout_error_without_waiting_real_time()
    {
        var arrived = new TaskCompletionSource();
        _server.Reply(Hang(arrived));
        var client = new StepFunctionsClient(_clients.Options(_server.Url, maxAttempts: 1, timeout: TimeSpan.FromSeconds(2)));

        var call = client.DescribeExecutionAsync(Arn);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        call.IsCompleted.ShouldBeFalse();
        _clients.Clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Should.ThrowAsync<AwsTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        error.Timeout.ShouldBe(TimeSpan.FromSeconds(2));
        error.ErrorCode.ShouldBe("RequestTimeout");
        error.Message.ShouldContain("StepFunctions DescribeExecution failed");
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_the_next_reply_wins()
    {
        var arrived = new TaskCompletionSource();
        _server.Reply(Hang(arrived), Json(200, Running));
        var client = new StepFunctionsClient(_clients.Options(_server.Url, maxAttempts: 2, timeout: TimeSpan.FromSeconds(2)));

        var call = client.DescribeExecutionAsync(Arn);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _clients.Clock.Advance(TimeSpan.FromSeconds(2));

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).Name.ShouldBe("run-1");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Caller_cancellation_is_an_OperationCanceledException_not_a_timeout()
    {
        var arrived = new TaskCompletionSource();
        _server.Reply(Hang(arrived));
        using var cancel = new CancellationTokenSource();

        var call = Client().DescribeExecutionAsync(Arn, cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        _server.Requests.Count.ShouldBe(1);
    }
}
