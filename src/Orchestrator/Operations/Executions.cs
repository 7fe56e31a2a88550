using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Orchestrator.Backends.Aws;

namespace ServerlessChaos.Orchestrator.Operations;

/// <summary>The experiment state machine's executions, as an operator sees and stops them.</summary>
public interface IExecutionControl
{
    /// <summary>The running executions of the state machine.</summary>
    Task<IReadOnlyList<RunningExecution>> ListRunningAsync(string stateMachineArn, CancellationToken cancellationToken);

    /// <summary>Stops an execution; stopping one that has ended succeeds.</summary>
    Task StopAsync(string executionArn, string error, string cause, CancellationToken cancellationToken);
}

/// <summary>A running execution.</summary>
/// <param name="Name">The execution name (also its rollback ledger's name).</param>
/// <param name="Arn">The execution ARN.</param>
/// <param name="StartedAt">When it started, when Step Functions says.</param>
public sealed record RunningExecution(string Name, string Arn, DateTimeOffset? StartedAt);

/// <summary>Executions through the project's signed Step Functions client (the registry has no AWSSDK.StepFunctions).</summary>
public sealed class StepFunctionsExecutionControl(StepFunctionsClient stepFunctions) : IExecutionControl
{
    /// <inheritdoc />
    public Task<IReadOnlyList<RunningExecution>> ListRunningAsync(string stateMachineArn, CancellationToken cancellationToken) =>
        AwsCall.RunAsync<IReadOnlyList<RunningExecution>>("executions", "ListRunning", async () =>
        {
            var running = new List<RunningExecution>();
            await foreach (var e in stepFunctions.ListExecutionsAsync(stateMachineArn, StepFunctionsExecutionStatus.Running, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                running.Add(new RunningExecution(e.Name ?? e.ExecutionArn, e.ExecutionArn, e.StartDate));
            }

            return running;
        });

    /// <inheritdoc />
    public Task StopAsync(string executionArn, string error, string cause, CancellationToken cancellationToken) =>
        AwsCall.RunAsync("executions", "Stop", () => stepFunctions.StopExecutionAsync(executionArn, error, cause, cancellationToken));
}
