using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>Puts one parameter back as a ledger recorded it: the rollback step, <c>chaos disarm</c> and <c>chaos halt</c> all use this.</summary>
internal static class LedgerRestore
{
    /// <summary>Writes the prior value back with its type, key and tier, or deletes the parameter when it did not exist before.</summary>
    public static async Task RestoreAsync(IParameterStore parameters, LedgerEntry entry, CancellationToken ct)
    {
        if (!entry.Existed || entry.PriorValue is null)
        {
            await parameters.DeleteAsync(entry.Parameter, ct).ConfigureAwait(false);
            return;
        }

        if (entry.Tier != ParameterTiers.Advanced && entry.ArmedTier == ParameterTiers.Advanced)
        {
            // AWS cannot downgrade an Advanced parameter: delete it, then write the Standard one back.
            await parameters.DeleteAsync(entry.Parameter, ct).ConfigureAwait(false);
        }

        var prior = new StoredParameter(entry.Parameter, entry.PriorValue) { Type = entry.Type, KeyId = entry.KeyId, Tier = entry.Tier };
        await parameters.PutAsync(prior, ct).ConfigureAwait(false);
    }
}
