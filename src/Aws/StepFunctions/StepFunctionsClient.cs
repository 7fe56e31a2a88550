using System.Text.Json;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Aws.StepFunctions;

/// <summary>AWS Step Functions (AWS JSON 1.0, <c>X-Amz-Target: AWSStepFunctions.*</c>, signing name <c>states</c>).</summary>
public sealed class StepFunctionsClient
{
    private readonly JsonProtocol _protocol;

    /// <summary>Creates the client.</summary>
    public StepFunctionsClient(AwsClientOptions options)
    {
        _protocol = new JsonProtocol(new AwsRequestPipeline(AwsServiceDescription.StepFunctions, options), "AWSStepFunctions", "1.0");
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _protocol.Pipeline.Endpoint;

    /// <summary>Starts an execution. The same name with the same input is idempotent for 90 days.</summary>
    /// <param name="stateMachineArn">The state machine.</param>
    /// <param name="name">The execution name, or null for a generated one.</param>
    /// <param name="input">The input JSON, or null for <c>{}</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<StepFunctionsStartedExecution> StartExecutionAsync(string stateMachineArn, string? name = null, string? input = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateMachineArn);
        return _protocol.CallAsync(
            "StartExecution",
            w =>
            {
                w.WriteString("stateMachineArn", stateMachineArn);
                if (name is not null)
                {
                    w.WriteString("name", name);
                }

                if (input is not null)
                {
                    w.WriteString("input", input);
                }
            },
            root => new StepFunctionsStartedExecution(Json.RequiredString(root, "executionArn", ""), Json.Timestamp(root, "startDate", "")),
            cancellationToken);
    }

    /// <summary>Stops an execution, recording an error and cause.</summary>
    public Task StopExecutionAsync(string executionArn, string? error = null, string? cause = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionArn);
        return _protocol.CallAsync(
            "StopExecution",
            w =>
            {
                w.WriteString("executionArn", executionArn);
                if (error is not null)
                {
                    w.WriteString("error", error);
                }

                if (cause is not null)
                {
                    w.WriteString("cause", cause);
                }
            },
            static _ => true,
            cancellationToken);
    }

    /// <summary>Reads an execution.</summary>
    public Task<StepFunctionsExecution> DescribeExecutionAsync(string executionArn, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(executionArn);
        return _protocol.CallAsync("DescribeExecution", w => w.WriteString("executionArn", executionArn), root => ReadExecution(root, ""), cancellationToken);
    }

    /// <summary>The executions of a state machine, newest first, following nextToken as the caller enumerates.</summary>
    /// <param name="stateMachineArn">The state machine.</param>
    /// <param name="statusFilter">Only executions in this status (see <see cref="StepFunctionsExecutionStatus"/>), or null for all.</param>
    /// <param name="pageSize">maxResults per call (1–1000), or null for the service default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<StepFunctionsExecution> ListExecutionsAsync(
        string stateMachineArn,
        string? statusFilter = null,
        int? pageSize = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateMachineArn);
        if (pageSize is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), $"pageSize must be between 1 and 1000 (was {pageSize})");
        }

        return _protocol.Pipeline.PaginateAsync(
            "ListExecutions",
            (token, ct) => _protocol.CallAsync(
                "ListExecutions",
                w =>
                {
                    w.WriteString("stateMachineArn", stateMachineArn);
                    if (statusFilter is not null)
                    {
                        w.WriteString("statusFilter", statusFilter);
                    }

                    if (pageSize is not null)
                    {
                        w.WriteNumber("maxResults", pageSize.Value);
                    }

                    if (token is not null)
                    {
                        w.WriteString("nextToken", token);
                    }
                },
                root => (Json.Array(root, "executions", "").Select(e => ReadExecution(Json.ExpectObject(e.Item, e.Path), e.Path)).ToList(), Json.String(root, "nextToken", "")),
                ct),
            cancellationToken);
    }

    private static StepFunctionsExecution ReadExecution(JsonElement e, string path) => new()
    {
        ExecutionArn = Json.RequiredString(e, "executionArn", path),
        StateMachineArn = Json.String(e, "stateMachineArn", path),
        Name = Json.String(e, "name", path),
        Status = Json.RequiredString(e, "status", path),
        StartDate = Json.Timestamp(e, "startDate", path),
        StopDate = Json.Timestamp(e, "stopDate", path),
        Input = Json.String(e, "input", path),
        Output = Json.String(e, "output", path),
        Error = Json.String(e, "error", path),
        Cause = Json.String(e, "cause", path),
    };
}
