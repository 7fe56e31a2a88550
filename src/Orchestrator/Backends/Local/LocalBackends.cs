using ServerlessChaos.Orchestrator.Backends.Probes;

namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>
/// The embedded backends a host (the local game day, the tests) creates and drives in-process:
/// set alarm states, inspect parameters, inject FIS failures, read the dead-letter file.
/// </summary>
public sealed class LocalBackends
{
    /// <summary>Creates the embedded backends.</summary>
    /// <param name="stateFolder">Folder for the state files (parameters.json, alarms.json, fis.json, dead-letters.jsonl). Without one, everything but the dead-letter file is in memory and that file goes to a new temporary folder.</param>
    /// <param name="time">The clock of the FIS engine and the probes.</param>
    /// <param name="http">The HttpClient the probes use.</param>
    public LocalBackends(string? stateFolder, TimeProvider time, HttpClient? http = null)
    {
        StateFolder = stateFolder;
        string? File(string name) => stateFolder is null ? null : Path.Combine(stateFolder, name);
        Parameters = new LocalParameterStore(File("parameters.json"));
        Alarms = new LocalAlarms(File("alarms.json"));
        Fis = new LocalFisEngine(time, File("fis.json"));
        DeadLetters = new FileDeadLetterQueue(
            File("dead-letters.jsonl") ?? Path.Combine(Path.GetTempPath(), "serverless-chaos-" + Guid.NewGuid().ToString("N"), "dead-letters.jsonl"),
            time);
        Probes = new HttpLoadProbeRunner(http ?? new HttpClient(), time);
    }

    /// <summary>The state folder, if any.</summary>
    public string? StateFolder { get; }

    /// <summary>The parameter store.</summary>
    public LocalParameterStore Parameters { get; }

    /// <summary>The alarms.</summary>
    public LocalAlarms Alarms { get; }

    /// <summary>The FIS engine.</summary>
    public LocalFisEngine Fis { get; }

    /// <summary>The dead-letter queue.</summary>
    public FileDeadLetterQueue DeadLetters { get; }

    /// <summary>The probe runner.</summary>
    public IProbeRunner Probes { get; }

    /// <summary>The backends as the control functions take them.</summary>
    public ControlPlaneBackends ToControlPlaneBackends() => new(Parameters, Alarms, Fis, DeadLetters, Probes);
}
