using System.Text.Json;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Aws.Tests.Support;
using static ServerlessChaos.Aws.Tests.Support.FakeAwsServer;
using static ServerlessChaos.Testing.LoopbackServer;

namespace ServerlessChaos.Aws.Tests.Ssm;

public sealed class SsmClientWireTests : IAsyncLifetime
{
    private readonly TestClients _clients = new();
    private FakeAwsServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private SsmClient Client(int maxAttempts = 3) => new(_clients.Options(_server.Url, maxAttempts));

    [Fact]
    public async Task GetParameter_sends_a_signed_json_1_1_request_and_reads_the_parameter()
    {
        _server.Reply(Json(200, """{"Parameter":{"ARN":"arn:aws:ssm:us-east-1:123:parameter/a/b","DataType":"text","LastModifiedDate":1.7635392E9,"Name":"/a/b","Type":"String","Value":"{\"version\":1}","Version":4}}"""));

        var parameter = await Client().GetParameterAsync("/a/b", withDecryption: true);

        parameter.Name.ShouldBe("/a/b");
        parameter.Value.ShouldBe("{\"version\":1}");
        parameter.Version.ShouldBe(4);
        parameter.Arn.ShouldBe("arn:aws:ssm:us-east-1:123:parameter/a/b");
        parameter.LastModifiedDate.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1763539200));
        var request = _server.Requests.Single();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/");
        request.Header("x-amz-target").ShouldBe("AmazonSSM.GetParameter");
        request.Header("content-type").ShouldBe("application/x-amz-json-1.1");
        request.Header("x-amz-security-token").ShouldBe("session-token");
        request.Header("x-amz-date").ShouldBe("20261122T000000Z");
        request.Header("authorization")!.ShouldStartWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/ssm/aws4_request, SignedHeaders=");
        using var body = JsonDocument.Parse(request.Body);
        body.RootElement.GetProperty("Name").GetString().ShouldBe("/a/b");
        body.RootElement.GetProperty("WithDecryption").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_missing_parameter_is_a_typed_error_with_code_message_request_id_and_status_and_is_not_retried()
    {
        _server.Reply(Json(400, """{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"Parameter /nope not found."}""", requestId: "abc-123"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().GetParameterAsync("/nope"));

        error.Service.ShouldBe("SSM");
        error.Operation.ShouldBe("GetParameter");
        error.ErrorCode.ShouldBe("ParameterNotFound");
        error.AwsMessage.ShouldBe("Parameter /nope not found.");
        error.RequestId.ShouldBe("abc-123");
        error.HttpStatus.ShouldBe(400);
        error.Message.ShouldContain("SSM GetParameter failed: ParameterNotFound");
        _server.Requests.Count.ShouldBe(1);
        _clients.Delays.ShouldBeEmpty();
    }

    [Fact]
    public async Task TryGetParameter_returns_null_for_a_missing_parameter()
    {
        _server.Reply(Json(400, """{"__type":"ParameterNotFound","message":"nope"}"""));

        (await Client().TryGetParameterAsync("/nope")).ShouldBeNull();
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
            Json(200, """{"Parameter":{"Name":"/a","Type":"String","Value":"v","Version":1}}"""));

        var parameter = await Client().GetParameterAsync("/a");

        parameter.Value.ShouldBe("v");
        _server.Requests.Count.ShouldBe(3);
        // Full jitter with random 0.5: half of 100 ms, then half of 200 ms.
        _clients.Delays.ShouldBe([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)]);
    }

    [Fact]
    public async Task Retries_stop_after_MaxAttempts_and_the_last_error_is_thrown()
    {
        _server.Reply(Json(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}""", requestId: "last"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client(maxAttempts: 4).GetParameterAsync("/a"));

        error.ErrorCode.ShouldBe("ThrottlingException");
        error.RequestId.ShouldBe("last");
        _server.Requests.Count.ShouldBe(4);
        _clients.Delays.Count.ShouldBe(3);
    }

    [Theory]
    [InlineData("ValidationException")]
    [InlineData("AccessDeniedException")]
    [InlineData("ParameterAlreadyExists")]
    public async Task Validation_and_other_client_errors_are_not_retried(string code)
    {
        _server.Reply(Json(400, $$"""{"__type":"{{code}}","message":"no"}"""));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().PutParameterAsync(new SsmPutParameterRequest { Name = "/a", Value = "v" }));

        error.ErrorCode.ShouldBe(code);
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task GetParametersByPath_follows_NextToken_across_pages()
    {
        _server.Reply(
            Json(200, """{"Parameters":[{"Name":"/p/a","Type":"String","Value":"1","Version":1},{"Name":"/p/b","Type":"String","Value":"2","Version":1}],"NextToken":"t1"}"""),
            Json(200, """{"Parameters":[],"NextToken":"t2"}"""),
            Json(200, """{"Parameters":[{"Name":"/p/c","Type":"String","Value":"3","Version":2}]}"""));

        var names = new List<string>();
        await foreach (var parameter in Client().GetParametersByPathAsync("/p", recursive: true, pageSize: 2))
        {
            names.Add(parameter.Name);
        }

        names.ShouldBe(["/p/a", "/p/b", "/p/c"]);
        var tokens = _server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.TryGetProperty("NextToken", out var t) ? t.GetString() : null).ToList();
        tokens.ShouldBe([null, "t1", "t2"]);
        JsonDocument.Parse(_server.Requests.First().Body).RootElement.GetProperty("Recursive").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task GetParametersByPath_stops_with_a_typed_error_when_the_service_repeats_a_token()
    {
        _server.Reply(Json(200, """{"Parameters":[],"NextToken":"same"}"""));

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(async () =>
        {
            await foreach (var _ in Client().GetParametersByPathAsync("/p"))
            {
            }
        });

        error.Message.ShouldContain("repeated the previous page token");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task GetParameters_batches_names_by_ten_and_reports_invalid_ones()
    {
        _server.Reply(Json(200, """{"Parameters":[{"Name":"/n0","Type":"String","Value":"x","Version":1}],"InvalidParameters":["/n1"]}"""));
        var names = Enumerable.Range(0, 12).Select(i => $"/n{i}").ToList();

        var result = await Client().GetParametersAsync(names);

        _server.Requests.Count.ShouldBe(2);
        JsonDocument.Parse(_server.Requests.First().Body).RootElement.GetProperty("Names").GetArrayLength().ShouldBe(10);
        JsonDocument.Parse(_server.Requests.Last().Body).RootElement.GetProperty("Names").GetArrayLength().ShouldBe(2);
        result.Parameters.Count.ShouldBe(2);
        result.InvalidParameters.ShouldBe(["/n1", "/n1"]);
    }

    [Fact]
    public async Task PutParameter_sends_Overwrite_and_returns_the_version()
    {
        _server.Reply(Json(200, """{"Tier":"Standard","Version":7}"""));

        var version = await Client().PutParameterAsync(new SsmPutParameterRequest { Name = "/a", Value = "v", Overwrite = true, Type = "String" });

        version.ShouldBe(7);
        var body = JsonDocument.Parse(_server.Requests.Single().Body).RootElement;
        body.GetProperty("Overwrite").GetBoolean().ShouldBeTrue();
        body.GetProperty("Value").GetString().ShouldBe("v");
        _server.Requests.Single().Header("x-amz-target").ShouldBe("AmazonSSM.PutParameter");
    }

    [Fact]
    public async Task DeleteParameter_accepts_an_empty_object_reply()
    {
        _server.Reply(Json(200, "{}"));

        await Client().DeleteParameterAsync("/a");

        _server.Requests.Single().Header("x-amz-target").ShouldBe("AmazonSSM.DeleteParameter");
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("{\"Parameter\":{\"Name\":\"/a\",\"Val", "not valid JSON")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("{}", "Parameter is missing")]
    [InlineData("{\"Parameter\":{\"Name\":\"/a\",\"Type\":\"String\",\"Value\":42}}", "Parameter.Value must be a string")]
    [InlineData("{\"Parameter\":{\"Name\":\"/a\",\"Type\":\"String\"}}", "Parameter.Value is missing")]
    public async Task Malformed_success_replies_are_typed_errors_that_say_what_is_wrong(string body, string expected)
    {
        _server.Reply(Json(200, body, requestId: "rid-9"));

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(() => Client().GetParameterAsync("/a"));

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

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(() => Client().GetParameterAsync("/a"));

        error.Message.ShouldContain("HTML page");
        error.Message.ShouldContain("Captive portal");
    }

    [Fact]
    public async Task An_html_502_page_is_retried_then_reported_with_its_status_and_an_unknown_code()
    {
        _server.Reply(Raw(502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client(maxAttempts: 2).GetParameterAsync("/a"));

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

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().GetParameterAsync("/a"));

        error.ErrorCode.ShouldBe("AccessDeniedException");
        error.AwsMessage.ShouldContain("empty body");
    }

    [Fact]
    public async Task An_unknown_error_code_is_kept_as_sent()
    {
        _server.Reply(Json(400, """{"__type":"aws.ssm#BrandNewProblem","Message":"something new"}"""));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().GetParameterAsync("/a"));

        error.ErrorCode.ShouldBe("BrandNewProblem");
        error.AwsMessage.ShouldBe("something new");
    }

    [Fact]
    public async Task A_truncated_reply_is_retried_as_a_network_error_then_reported()
    {
        _server.Reply(Truncated("{\"Parameter\":{\"Na", announcedLength: 500));

        var error = await Should.ThrowAsync<AwsNetworkException>(() => Client(maxAttempts: 2).GetParameterAsync("/a"));

        error.Message.ShouldContain("truncated");
        _server.Requests.Count.ShouldBe(2);
        _clients.Delays.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_truncated_reply_then_success_succeeds()
    {
        _server.Reply(
            Truncated("{\"Parameter\":{\"Na", announcedLength: 500),
            Json(200, """{"Parameter":{"Name":"/a","Type":"String","Value":"ok","Version":1}}"""));

        (await Client().GetParameterAsync("/a")).Value.ShouldBe("ok");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_refused_connection_is_a_network_error_after_the_retries()
    {
        var port = _server.Url.Port;
        await _server.DisposeAsync();
        _server = await StartAsync();
        var client = new SsmClient(_clients.Options(new Uri($"http://127.0.0.1:{port}/"), maxAttempts: 3));

        var error = await Should.ThrowAsync<AwsNetworkException>(() => client.GetParameterAsync("/a"));

        error.Service.ShouldBe("SSM");
        error.HttpStatus.ShouldBeNull();
        _clients.Delays.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_reply_slower_than_the_timeout_is_a_timeout_error_without_waiting_real_time()
    {
        var arrived = new TaskCompletionSource();
        _server.Reply(Hang(arrived));
        var client = new SsmClient(_clients.Options(_server.Url, maxAttempts: 1, timeout: TimeSpan.FromSeconds(2)));

        var call = client.GetParameterAsync("/a");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        call.IsCompleted.ShouldBeFalse();
        _clients.Clock.Advance(TimeSpan.FromSeconds(2));

        var error = await Should.ThrowAsync<AwsTimeoutException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        error.Timeout.ShouldBe(TimeSpan.FromSeconds(2));
        error.ErrorCode.ShouldBe("RequestTimeout");
        error.Message.ShouldContain("SSM GetParameter failed");
    }

    [Fact]
    public async Task A_timed_out_attempt_is_retried_and_the_next_reply_wins()
    {
        var arrived = new TaskCompletionSource();
        _server.Reply(Hang(arrived), Json(200, """{"Parameter":{"Name":"/a","Type":"String","Value":"late","Version":1}}"""));
        var client = new SsmClient(_clients.Options(_server.Url, maxAttempts: 2, timeout: TimeSpan.FromSeconds(2)));

        var call = client.GetParameterAsync("/a");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _clients.Clock.Advance(TimeSpan.FromSeconds(2));

        (await call.WaitAsync(TimeSpan.FromSeconds(10))).Value.ShouldBe("late");
        _server.Requests.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Caller_cancellation_is_an_OperationCanceledException_not_a_timeout()
    {
        var arrived = new TaskCompletionSource();
        _server.Reply(Hang(arrived));
        using var cancel = new CancellationTokenSource();

        var call = Client().GetParameterAsync("/a", cancellationToken: cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        _server.Requests.Count.ShouldBe(1);
    }
}
