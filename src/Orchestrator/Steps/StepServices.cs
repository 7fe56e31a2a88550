using System.Text.Json;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>What every step uses: the backends, the options and the one clock.</summary>
internal sealed class StepServices(ControlPlaneBackends backends, ControlPlaneOptions options, TimeProvider time)
{
    public ControlPlaneBackends Backends { get; } = backends;

    public ControlPlaneOptions Options { get; } = options;

    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();

    public void Log(ExecutionState state, string step, string message) =>
        state.Journal.Timeline.Add(new JournalEntry { At = Now, Step = step, Message = message });

    public string LedgerName(string executionName) => Options.LedgerPrefix + executionName;

    public async Task<RollbackLedger?> ReadLedgerAsync(string executionName, CancellationToken ct)
    {
        var text = await Backends.Parameters.GetAsync(LedgerName(executionName), ct).ConfigureAwait(false);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, OrchestratorJson.Default.RollbackLedger);
        }
        catch (JsonException e)
        {
            throw new ControlFunctionException(ErrorTypes.InvalidState, $"the rollback ledger {LedgerName(executionName)} is not readable: {e.Message}", e);
        }
    }

    public Task WriteLedgerAsync(string executionName, RollbackLedger ledger, CancellationToken ct) =>
        Backends.Parameters.PutAsync(LedgerName(executionName), JsonSerializer.Serialize(ledger, OrchestratorJson.Default.RollbackLedger), ct);
}
