using System.Text.Json;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Aws.Tests.Support;
using static ServerlessChaos.Aws.Tests.Support.FakeAwsServer;
using static ServerlessChaos.Testing.LoopbackServer;

namespace ServerlessChaos.Aws.Tests.Clients;

public sealed class StepFunctionsWireTests : IAsyncLifetime
{
    private readonly TestClients _clients = new();
    private FakeAwsServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task StartExecution_and_DescribeExecution_read_the_execution()
    {
        _server.Reply(
            Json(200, """{"executionArn":"arn:aws:states:us-east-1:1:execution:chaos:run-1","startDate":1763769600.123}""", contentType: "application/x-amz-json-1.0"),
            Json(200, """{"executionArn":"arn:aws:states:us-east-1:1:execution:chaos:run-1","stateMachineArn":"arn:sm","name":"run-1","status":"FAILED","startDate":1763769600,"stopDate":1763769700,"input":"{}","error":"States.TaskFailed","cause":"boom"}""", contentType: "application/x-amz-json-1.0"));
        var client = new StepFunctionsClient(_clients.Options(_server.Url));

        var started = await client.StartExecutionAsync("arn:sm", "run-1", "{}");
        var execution = await client.DescribeExecutionAsync(started.ExecutionArn);

        started.StartDate.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1763769600123));
        execution.Status.ShouldBe(StepFunctionsExecutionStatus.Failed);
        execution.Error.ShouldBe("States.TaskFailed");
        execution.Cause.ShouldBe("boom");
        execution.StopDate.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(1763769700));
        _server.Requests.First().Header("x-amz-target").ShouldBe("AWSStepFunctions.StartExecution");
        _server.Requests.First().Header("authorization")!.ShouldContain("/us-east-1/states/aws4_request");
    }

    [Fact]
    public async Task An_existing_execution_name_is_a_typed_error_that_is_not_retried()
    {
        _server.Reply(Json(400, """{"__type":"com.amazonaws.swf.service.v2.model#ExecutionAlreadyExists","message":"Execution Already Exists: 'arn'"}"""));
        var client = new StepFunctionsClient(_clients.Options(_server.Url));

        var error = await Should.ThrowAsync<AwsServiceException>(() => client.StartExecutionAsync("arn:sm", "run-1", "{\"other\":1}"));

        error.ErrorCode.ShouldBe("ExecutionAlreadyExists");
        error.Service.ShouldBe("StepFunctions");
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ListExecutions_follows_nextToken_and_StopExecution_sends_error_and_cause()
    {
        _server.Reply(
            Json(200, """{"executions":[{"executionArn":"e1","status":"RUNNING","startDate":1}],"nextToken":"n"}"""),
            Json(200, """{"executions":[{"executionArn":"e2","status":"RUNNING","startDate":2}]}"""),
            Json(200, """{"stopDate":3}"""));
        var client = new StepFunctionsClient(_clients.Options(_server.Url));

        var arns = new List<string>();
        await foreach (var execution in client.ListExecutionsAsync("arn:sm", StepFunctionsExecutionStatus.Running))
        {
            arns.Add(execution.ExecutionArn);
        }

        await client.StopExecutionAsync("e1", "Halted", "operator halt");

        arns.ShouldBe(["e1", "e2"]);
        var stop = JsonDocument.Parse(_server.Requests.Last().Body).RootElement;
        stop.GetProperty("error").GetString().ShouldBe("Halted");
        stop.GetProperty("cause").GetString().ShouldBe("operator halt");
    }
}
