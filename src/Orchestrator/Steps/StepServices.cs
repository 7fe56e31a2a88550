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

    /// <summary>The rollback ledgers, kept in the parameter store.</summary>
    public RollbackLedgerStore Ledgers => new(Backends.Parameters, Options.LedgerPrefix);

    public string LedgerName(string executionName) => Ledgers.NameFor(executionName);

    public Task<RollbackLedger?> ReadLedgerAsync(string executionName, CancellationToken ct) => Ledgers.ReadAsync(executionName, ct);

    public Task WriteLedgerAsync(string executionName, RollbackLedger ledger, CancellationToken ct) => Ledgers.WriteAsync(executionName, ledger, ct);
}
