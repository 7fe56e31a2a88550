using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>
/// cleanup: input is the Step Functions "Execution Status Change" event. For an execution that ended
/// outside the normal path (stopped, timed out, failed) it finds the ledger by execution name and rolls back.
/// </summary>
internal sealed class CleanupStep(StepServices services)
{
    public async Task<CleanupResult> RunAsync(JsonNode? input, CancellationToken ct)
    {
        var detail = input?["detail"] as JsonObject
            ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "detail is required (a Step Functions Execution Status Change event)");
        var arn = detail["executionArn"]?.GetValue<string>()
            ?? throw new ControlFunctionException(ErrorTypes.InvalidState, "detail.executionArn is required");
        var status = detail["status"]?.GetValue<string>();
        var name = detail["name"]?.GetValue<string>() ?? arn[(arn.LastIndexOf(':') + 1)..];
        var result = new CleanupResult { ExecutionId = arn, Status = status };
        if (status == "RUNNING")
        {
            return result;
        }

        result.LedgerFound = await services.ReadLedgerAsync(name, ct).ConfigureAwait(false) is not null;
        if (result.LedgerFound)
        {
            result.Rollback = await Rollback.RunAsync(services, name, ct).ConfigureAwait(false);
        }

        return result;
    }
}
