using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Execution;
using ServerlessChaos.Orchestrator.Steps;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Orchestrator.Operations;

/// <summary>
/// What an operator does to a deployed control plane — status, arm, disarm, halt — through the same backends,
/// rollback ledgers and restore code as the control functions, so the CLI and the state machine cannot disagree.
/// </summary>
public sealed class ChaosOperator
{
    /// <summary>Ledgers of <c>chaos arm</c> are named this plus the parameter (dots for slashes); execution names have no dots.</summary>
    public const string ArmLedgerPrefix = "arm.";

    private static readonly HashSet<string> ActiveFisStates = ["pending", "initiating", "running"];

    private readonly ControlPlaneBackends backends;
    private readonly ControlPlaneOptions options;
    private readonly TimeProvider time;
    private readonly IExecutionControl? executions;
    private readonly RollbackLedgerStore ledgers;

    /// <summary>Creates the operator over these backends.</summary>
    /// <param name="backends">The control plane's backends (only parameters and FIS are used).</param>
    /// <param name="options">The prefixes and the halt parameter.</param>
    /// <param name="time">The clock.</param>
    /// <param name="executions">The state machine's executions; null when there is no way to reach them.</param>
    public ChaosOperator(ControlPlaneBackends backends, ControlPlaneOptions options, TimeProvider time, IExecutionControl? executions = null)
    {
        this.backends = backends;
        this.options = options;
        this.time = time;
        this.executions = executions;
        ledgers = new RollbackLedgerStore(backends.Parameters, options.LedgerPrefix);
    }

    private IParameterStore Parameters => backends.Parameters;

    /// <summary>The ledger id <c>chaos arm</c> uses for a parameter: <c>/a/b</c> → <c>arm.a.b</c>.</summary>
    public static string ArmLedgerId(string parameter) => ArmLedgerPrefix + parameter.TrimStart('/').Replace('/', '.');

    /// <summary>Reads everything status shows; a part that fails is reported in <see cref="ChaosStatus.Problems"/> and the rest is still read.</summary>
    public async Task<ChaosStatus> StatusAsync(string? stateMachineArn, CancellationToken ct)
    {
        var status = new ChaosStatus();
        var problems = new OperatorReport(status.Problems.Add);
        try
        {
            status.HaltValue = (await Parameters.GetAsync(options.HaltParameter, ct).ConfigureAwait(false))?.Value;
            status.HaltRead = true;
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            problems.Failed($"read the halt parameter {options.HaltParameter}", e);
        }

        try
        {
            status.Parameters = await ListSettingsAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            problems.Failed($"list the parameters under {options.ParameterPrefix}", e);
        }

        try
        {
            status.ArmLedgers = (await ListArmLedgersAsync(ct).ConfigureAwait(false)).Select(l => l.Parameters.FirstOrDefault()?.Parameter ?? l.ExecutionId).ToList();
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            problems.Failed($"list the rollback ledgers under {options.LedgerPrefix}", e);
        }

        try
        {
            status.FisExperiments = await RunningFisExperimentsAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            problems.Failed($"list FIS experiments tagged {ChaosConventions.ManagedTagKey}={ChaosConventions.ManagedTagValue}", e);
        }

        if (stateMachineArn is not null && executions is not null)
        {
            try
            {
                status.Executions = await executions.ListRunningAsync(stateMachineArn, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                problems.Failed($"list the running executions of {stateMachineArn}", e);
            }
        }

        return status;
    }

    /// <summary>
    /// Arms a parameter with a settings document. The parameter's prior value (type, key, tier, value, or that it did
    /// not exist) goes into a rollback ledger first, so <see cref="DisarmAsync"/> puts back exactly what was there; arming
    /// again keeps the first prior value. Nothing is written when chaos is halted, when another experiment has the
    /// parameter armed, or when AWS would refuse the write.
    /// </summary>
    /// <returns>The parameter as written.</returns>
    /// <exception cref="OperatorRefusedException">Chaos is halted, the parameter is armed by another experiment, or AWS would refuse it.</exception>
    public async Task<StoredParameter> ArmAsync(string parameter, string document, bool allowAdvancedTier, CancellationToken ct)
    {
        var halt = await Parameters.GetAsync(options.HaltParameter, ct).ConfigureAwait(false);
        if (HaltValue.IsHalted(halt?.Value))
        {
            throw new OperatorRefusedException($"chaos is halted ({options.HaltParameter} is set): the wrapper would ignore these settings; run 'chaos unhalt' first");
        }

        var id = ArmLedgerId(parameter);
        var current = await Parameters.GetAsync(parameter, ct).ConfigureAwait(false);
        var ledger = await ledgers.ReadAsync(id, ct).ConfigureAwait(false);
        if (ledger is not null && !(ledger.Parameters is [var only] && only.Parameter == parameter))
        {
            throw new OperatorRefusedException($"the ledger {ledgers.NameFor(id)} belongs to another parameter ({string.Join(", ", ledger.Parameters.Select(p => p.Parameter))}); disarm that one first");
        }

        var entry = ledger?.Parameters[0] ?? new LedgerEntry
        {
            Parameter = parameter,
            Existed = current is not null,
            PriorValue = current?.Value,
            Type = current?.Type ?? ParameterTypes.String,
            KeyId = current?.KeyId,
            Tier = current?.Tier ?? ParameterTiers.Standard,
        };

        // The armed document keeps the parameter's type and key: a SecureString stays encrypted with its own key.
        var armed = new StoredParameter(parameter, document)
        {
            Type = entry.Type,
            KeyId = entry.KeyId,
            Tier = ParameterRules.TierFor(document, current?.Tier ?? entry.Tier, allowAdvancedTier),
        };
        if (ParameterRules.Problem(armed) is { } problem)
        {
            throw new OperatorRefusedException($"nothing was armed: {problem}");
        }

        if (ledger is null)
        {
            if (current is not null && ArmState.IsArmed(current.Value, time.GetUtcNow(), out var by))
            {
                throw new OperatorRefusedException($"{parameter} is already armed{(by is null ? "" : $" by experiment {by}")}; disarm it first (chaos disarm), or wait until it expires");
            }

            entry.ArmedTier = armed.Tier;
            ledger = new RollbackLedger { ExecutionId = id, Experiment = "chaos arm", RecordedAt = time.GetUtcNow(), Parameters = [entry] };
            await ledgers.WriteAsync(id, ledger, ct).ConfigureAwait(false);
        }
        else if (entry.ArmedTier != ParameterTiers.Advanced && armed.Tier == ParameterTiers.Advanced)
        {
            entry.ArmedTier = armed.Tier;
            await ledgers.WriteAsync(id, ledger, ct).ConfigureAwait(false);
        }

        await Parameters.PutAsync(armed, ct).ConfigureAwait(false);
        return armed;
    }

    /// <summary>
    /// Disarms the named parameters, each on its own (one failure does not stop the rest): one <c>chaos arm</c> armed is
    /// restored from its ledger; any other armed one gets the disarmed document, keeping its type and key.
    /// </summary>
    public async Task<OperatorReport> DisarmAsync(IReadOnlyList<string> parameterNames, Action<OperatorAction>? listener, CancellationToken ct)
    {
        var report = new OperatorReport(listener);
        foreach (var name in parameterNames)
        {
            await DisarmOneAsync(name, report, ct).ConfigureAwait(false);
        }

        return report;
    }

    /// <summary>
    /// Disarms everything <c>chaos arm</c> armed (from its ledgers) and every other armed parameter under the prefix,
    /// best effort: every failure is reported and the rest still done.
    /// </summary>
    public async Task<OperatorReport> DisarmAllAsync(Action<OperatorAction>? listener, CancellationToken ct)
    {
        var report = new OperatorReport(listener);
        var restored = await RestoreFromLedgersAsync(report, includeExecutions: false, ct).ConfigureAwait(false);
        await DisarmArmedAsync(report, restored, ct).ConfigureAwait(false);
        return report;
    }

    /// <summary>
    /// The emergency stop, best effort and in the order that stops injection first: the halt switch (written even if
    /// nothing can be read), then every armed parameter (restored from the ledgers where they exist, else disarmed),
    /// then the control plane's running FIS experiments, then the running executions. Every failure is reported
    /// and the rest still done; run it again to retry what failed.
    /// </summary>
    public async Task<OperatorReport> HaltAsync(string reason, string? stateMachineArn, Action<OperatorAction>? listener, CancellationToken ct)
    {
        var report = new OperatorReport(listener);
        await SetHaltSwitchAsync(reason, report, ct).ConfigureAwait(false);
        var restored = await RestoreFromLedgersAsync(report, includeExecutions: true, ct).ConfigureAwait(false);
        await DisarmArmedAsync(report, restored, ct).ConfigureAwait(false);
        await StopFisExperimentsAsync(report, ct).ConfigureAwait(false);
        await StopExecutionsAsync(stateMachineArn, reason, report, ct).ConfigureAwait(false);
        return report;
    }

    /// <summary>Allows chaos again: writes <c>false</c> to the halt parameter. Nothing is re-armed.</summary>
    public async Task UnhaltAsync(CancellationToken ct)
    {
        var current = await Parameters.GetAsync(options.HaltParameter, ct).ConfigureAwait(false);
        await Parameters.PutAsync(HaltWrite(current, "false"), ct).ConfigureAwait(false);
    }

    private async Task SetHaltSwitchAsync(string reason, OperatorReport report, CancellationToken ct)
    {
        StoredParameter? existing = null;
        try
        {
            existing = await Parameters.GetAsync(options.HaltParameter, ct).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            // Could not see whether it is set: write it anyway, the switch matters more than what it said before.
        }

        if (existing is not null && HaltValue.IsHalted(existing.Value))
        {
            report.NothingToDo($"halt parameter {options.HaltParameter} was already set; left as it is");
            return;
        }

        var value = new JsonObject
        {
            ["halted"] = true,
            ["at"] = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["by"] = "chaos halt",
            ["reason"] = reason,
        };
        try
        {
            await Parameters.PutAsync(HaltWrite(existing, value.ToJsonString()), ct).ConfigureAwait(false);
            report.Done($"set halt parameter {options.HaltParameter}");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"set halt parameter {options.HaltParameter}", e);
        }
    }

    private StoredParameter HaltWrite(StoredParameter? existing, string value) =>
        existing is null
            ? new StoredParameter(options.HaltParameter, value)
            : existing with { Value = value };

    /// <summary>Restores every parameter the ledgers recorded; returns the parameters restored. Ledgers of chaos arm are deleted once restored.</summary>
    private async Task<HashSet<string>> RestoreFromLedgersAsync(OperatorReport report, bool includeExecutions, CancellationToken ct)
    {
        var restored = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<string> ids;
        try
        {
            ids = await LedgerIdsAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"list the rollback ledgers under {options.LedgerPrefix}", e);
            return restored;
        }

        foreach (var id in ids)
        {
            var fromArm = id.StartsWith(ArmLedgerPrefix, StringComparison.Ordinal);
            if (!fromArm && !includeExecutions)
            {
                continue;
            }

            await RestoreLedgerAsync(id, report, restored, ct).ConfigureAwait(false);
        }

        return restored;
    }

    private async Task RestoreLedgerAsync(string id, OperatorReport report, HashSet<string> restored, CancellationToken ct)
    {
        var fromArm = id.StartsWith(ArmLedgerPrefix, StringComparison.Ordinal);
        var whose = fromArm ? "chaos arm" : $"execution {id}";
        RollbackLedger? ledger;
        try
        {
            ledger = await ledgers.ReadAsync(id, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"read the rollback ledger {ledgers.NameFor(id)}", e);
            return;
        }

        if (ledger is null)
        {
            return;
        }

        var all = true;
        foreach (var entry in ledger.Parameters)
        {
            try
            {
                await LedgerRestore.RestoreAsync(Parameters, entry, ct).ConfigureAwait(false);
                restored.Add(entry.Parameter);
                report.Done(entry.Existed
                    ? $"restored {entry.Parameter} to its value before {whose} ({entry.Type})"
                    : $"deleted {entry.Parameter}, which did not exist before {whose}");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                all = false;
                report.Failed($"restore {entry.Parameter} from the ledger of {whose}", e);
            }
        }

        // An execution's ledger stays for its own rollback (restoring twice is harmless, and it also lists its FIS experiments).
        if (fromArm && all)
        {
            try
            {
                await ledgers.DeleteAsync(id, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                report.Failed($"delete the ledger {ledgers.NameFor(id)} (its parameter is restored)", e);
            }
        }
    }

    private async Task DisarmArmedAsync(OperatorReport report, HashSet<string> restored, CancellationToken ct)
    {
        IReadOnlyList<SettingsParameter> parameters;
        try
        {
            parameters = await ListSettingsAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"list the parameters under {options.ParameterPrefix}", e);
            return;
        }

        var now = time.GetUtcNow();
        var armed = parameters.Where(p => p.IsArmedAt(now) && !restored.Contains(p.Name)).ToList();
        foreach (var p in armed)
        {
            await WriteDisarmedAsync(p.Stored, report, ct).ConfigureAwait(false);
        }

        if (armed.Count == 0 && restored.Count == 0)
        {
            report.NothingToDo($"no armed parameters under {options.ParameterPrefix}");
        }
    }

    private async Task DisarmOneAsync(string name, OperatorReport report, CancellationToken ct)
    {
        try
        {
            var id = ArmLedgerId(name);
            var ledger = await ledgers.ReadAsync(id, ct).ConfigureAwait(false);
            if (ledger is not null && ledger.Parameters.Any(p => p.Parameter == name))
            {
                await RestoreLedgerAsync(id, report, [], ct).ConfigureAwait(false);
                return;
            }

            var current = await Parameters.GetAsync(name, ct).ConfigureAwait(false);
            if (current is null)
            {
                report.NothingToDo($"{name} does not exist; nothing to disarm");
                return;
            }

            var parsed = ChaosSettings.Parse(current.Value);
            if (parsed.IsValid && !parsed.Settings!.IsArmedAt(time.GetUtcNow()) && current.Value == ChaosConventions.DisarmedDocument)
            {
                report.NothingToDo($"{name} is already disarmed");
                return;
            }

            await WriteDisarmedAsync(current, report, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"disarm {name}", e);
        }
    }

    private async Task WriteDisarmedAsync(StoredParameter current, OperatorReport report, CancellationToken ct)
    {
        try
        {
            // Same type, key and tier: a SecureString stays a SecureString.
            await Parameters.PutAsync(current with { Value = ChaosConventions.DisarmedDocument }, ct).ConfigureAwait(false);
            report.Done($"disarmed {current.Name}");
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"disarm {current.Name}", e);
        }
    }

    private async Task StopFisExperimentsAsync(OperatorReport report, CancellationToken ct)
    {
        IReadOnlyList<ManagedFisExperiment> running;
        try
        {
            running = await RunningFisExperimentsAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"list FIS experiments tagged {ChaosConventions.ManagedTagKey}={ChaosConventions.ManagedTagValue}", e);
            return;
        }

        foreach (var x in running)
        {
            try
            {
                await backends.Fis.StopExperimentAsync(x.Id, ct).ConfigureAwait(false);
                report.Done($"stopped FIS experiment {x.Id}");
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                report.Failed($"stop FIS experiment {x.Id}", e);
            }
        }

        if (running.Count == 0)
        {
            report.NothingToDo($"no running FIS experiments tagged {ChaosConventions.ManagedTagKey}={ChaosConventions.ManagedTagValue}");
        }
    }

    private async Task StopExecutionsAsync(string? stateMachineArn, string reason, OperatorReport report, CancellationToken ct)
    {
        if (stateMachineArn is null || executions is null)
        {
            report.Skipped("executions: not stopped (no state machine ARN given: --state-machine or SERVERLESS_CHAOS_STATE_MACHINE_ARN); running ones abort at their next observation because of the halt parameter");
            return;
        }

        IReadOnlyList<RunningExecution> running;
        try
        {
            running = await executions.ListRunningAsync(stateMachineArn, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            report.Failed($"list the running executions of {stateMachineArn}", e);
            return;
        }

        foreach (var e in running)
        {
            try
            {
                await executions.StopAsync(e.Arn, "ServerlessChaos.Halted", reason, ct).ConfigureAwait(false);
                report.Done($"stopped execution {e.Name} ({e.Arn})");
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                report.Failed($"stop execution {e.Arn}", ex);
            }
        }

        if (running.Count == 0)
        {
            report.NothingToDo($"no running executions of {stateMachineArn}");
        }
    }

    private async Task<IReadOnlyList<SettingsParameter>> ListSettingsAsync(CancellationToken ct)
    {
        var stored = await Parameters.ListAsync(options.ParameterPrefix, ct).ConfigureAwait(false);
        return [.. stored.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new SettingsParameter(p, ChaosSettings.Parse(p.Value)))];
    }

    /// <summary>The ids of the ledgers (not their chunks, which are named <c>{ledger}/{n}</c>).</summary>
    private async Task<IReadOnlyList<string>> LedgerIdsAsync(CancellationToken ct)
    {
        var names = (await Parameters.ListAsync(options.LedgerPrefix, ct).ConfigureAwait(false)).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        return [.. names
            .Where(n => n.StartsWith(options.LedgerPrefix, StringComparison.Ordinal))
            .Select(n => n[options.LedgerPrefix.Length..])
            .Where(id => id.Length > 0 && !id.Contains('/'))
            .Order(StringComparer.Ordinal)];
    }

    private async Task<IReadOnlyList<RollbackLedger>> ListArmLedgersAsync(CancellationToken ct)
    {
        var found = new List<RollbackLedger>();
        foreach (var id in (await LedgerIdsAsync(ct).ConfigureAwait(false)).Where(i => i.StartsWith(ArmLedgerPrefix, StringComparison.Ordinal)))
        {
            if (await ledgers.ReadAsync(id, ct).ConfigureAwait(false) is { } ledger)
            {
                found.Add(ledger);
            }
        }

        return found;
    }

    private async Task<IReadOnlyList<ManagedFisExperiment>> RunningFisExperimentsAsync(CancellationToken ct)
    {
        var ids = await backends.Fis.FindExperimentsByTagAsync(ChaosConventions.ManagedTagKey, ChaosConventions.ManagedTagValue, ct).ConfigureAwait(false);
        var running = new List<ManagedFisExperiment>();
        foreach (var id in ids.Order(StringComparer.Ordinal))
        {
            var state = await backends.Fis.GetExperimentAsync(id, ct).ConfigureAwait(false);
            if (ActiveFisStates.Contains(state.State))
            {
                running.Add(new ManagedFisExperiment(id, state.State));
            }
        }

        return running;
    }
}

/// <summary>An operator command refused to act (and wrote nothing): chaos is halted, the parameter is taken, or AWS would refuse it.</summary>
public sealed class OperatorRefusedException(string message) : Exception(message);
