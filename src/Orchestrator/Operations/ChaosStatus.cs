using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Orchestrator.Operations;

/// <summary>A settings parameter as the operator sees it: what is stored, and the wrapper's reading of it.</summary>
public sealed class SettingsParameter
{
    internal SettingsParameter(StoredParameter stored, SettingsParseResult parsed)
    {
        Stored = stored;
        Parsed = parsed;
    }

    /// <summary>The parameter (decrypted), with its type, key and tier.</summary>
    public StoredParameter Stored { get; }

    /// <summary>The parameter name.</summary>
    public string Name => Stored.Name;

    /// <summary>The wrapper's parse of the value (the wrapper's settings model is internal to it and to the CLI).</summary>
    internal SettingsParseResult Parsed { get; }

    /// <summary>Armed at <paramref name="now"/>, by the wrapper's own rule.</summary>
    public bool IsArmedAt(DateTimeOffset now) => Parsed.Settings?.IsArmedAt(now) == true;
}

/// <summary>A FIS experiment the control plane started that is still going.</summary>
/// <param name="Id">The experiment id.</param>
/// <param name="State">pending, initiating or running.</param>
public sealed record ManagedFisExperiment(string Id, string State);

/// <summary>What <c>chaos status</c> found. A part that could not be read is null, with the reason in <see cref="Problems"/>.</summary>
public sealed class ChaosStatus
{
    /// <summary>Whether the halt parameter could be read.</summary>
    public bool HaltRead { get; set; }

    /// <summary>The halt parameter's value; null when it does not exist (or could not be read).</summary>
    public string? HaltValue { get; set; }

    /// <summary>Whether chaos is halted, by the wrapper's rule.</summary>
    public bool Halted => Wrapper.Settings.HaltValue.IsHalted(HaltValue);

    /// <summary>Every settings parameter under the prefix, in name order.</summary>
    public IReadOnlyList<SettingsParameter>? Parameters { get; set; }

    /// <summary>Parameters <c>chaos arm</c> armed whose prior value is kept in a ledger, for <c>chaos disarm</c>.</summary>
    public IReadOnlyList<string>? ArmLedgers { get; set; }

    /// <summary>Running FIS experiments tagged as the control plane's.</summary>
    public IReadOnlyList<ManagedFisExperiment>? FisExperiments { get; set; }

    /// <summary>Running executions; null when no state machine was given or they could not be read.</summary>
    public IReadOnlyList<RunningExecution>? Executions { get; set; }

    /// <summary>What could not be read, and why.</summary>
    public List<OperatorAction> Problems { get; } = [];
}
