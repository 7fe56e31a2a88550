using ServerlessChaos.Aws;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Orchestrator.Backends.Aws;

namespace ServerlessChaos.Orchestrator.Tests.Moto;

/// <summary>
/// The project's own signed Step Functions client (no SDK package here) against moto with signature checking and IAM
/// evaluation on, signing with the credentials the AWS SDK resolved (<see cref="AwsAccess"/>).
/// </summary>
[Collection(MotoCollection.Name)]
public class SignedClientsOnMotoTests(MotoFixture moto)
{
    private async Task<string> CreateStateMachineAsync()
    {
        var name = "chaos-" + Guid.NewGuid().ToString("N")[..8];
        return (await moto.Server.Boto3Async($$$"""
            sfn = boto3.client("stepfunctions", **kw)
            wait = {"Type": "Wait", "Seconds": 600, "End": True}
            definition = json.dumps({"StartAt": "Wait", "States": {"Wait": wait}})
            print(sfn.create_state_machine(name="{{{name}}}", definition=definition, roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"])
            """)).Trim();
    }

    [Fact]
    public async Task Executions_are_started_listed_described_and_stopped()
    {
        var machine = await CreateStateMachineAsync();
        var client = new StepFunctionsClient(moto.Admin.SignedClientOptions());

        var started = await client.StartExecutionAsync(machine, "run-1", """{"name":"checkout-latency"}""");
        var other = await client.StartExecutionAsync(machine, "run-2", "{}");
        var running = new List<StepFunctionsExecution>();
        await foreach (var execution in client.ListExecutionsAsync(machine, StepFunctionsExecutionStatus.Running, pageSize: 1))
        {
            running.Add(execution);
        }

        running.Select(e => e.ExecutionArn).Order(StringComparer.Ordinal).ShouldBe(new[] { started.ExecutionArn, other.ExecutionArn }.Order(StringComparer.Ordinal));
        var described = await client.DescribeExecutionAsync(started.ExecutionArn);
        (described.Name, described.Status, described.StateMachineArn, described.Input).ShouldBe(("run-1", StepFunctionsExecutionStatus.Running, machine, """{"name":"checkout-latency"}"""));

        await client.StopExecutionAsync(started.ExecutionArn, "Halted", "operator halt");

        (await client.DescribeExecutionAsync(started.ExecutionArn)).Status.ShouldBe(StepFunctionsExecutionStatus.Aborted);
        (await client.DescribeExecutionAsync(other.ExecutionArn)).Status.ShouldBe(StepFunctionsExecutionStatus.Running);
    }

    [Fact]
    public async Task A_second_start_under_the_same_name_is_refused_under_its_own_name_and_not_retried()
    {
        var machine = await CreateStateMachineAsync();
        var client = new StepFunctionsClient(moto.Admin.SignedClientOptions());
        await client.StartExecutionAsync(machine, "once", "{}");

        var error = await Should.ThrowAsync<AwsServiceException>(() => client.StartExecutionAsync(machine, "once", """{"other":1}"""));

        error.ErrorCode.ShouldBe("ExecutionAlreadyExists");
        error.Service.ShouldBe("StepFunctions");
    }

    [Fact]
    public async Task A_key_moto_does_not_know_is_refused_with_the_services_error_not_as_unavailable()
    {
        var stranger = AwsAccess.From(Amazon.RegionEndpoint.USEast1, new Amazon.Runtime.BasicAWSCredentials("AKIAUNKNOWN000000000", "secret"), moto.Server.Url);
        var client = new StepFunctionsClient(stranger.SignedClientOptions());

        var error = await Should.ThrowAsync<AwsServiceException>(() => client.DescribeExecutionAsync("arn:aws:states:us-east-1:123456789012:execution:x:y"));

        error.ErrorCode.ShouldBe("InvalidClientTokenId");
        error.HttpStatus.ShouldBe(403);
    }
}
