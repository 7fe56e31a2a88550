using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Backends;

/// <summary>The services the control functions call, each behind a small interface.</summary>
/// <param name="Parameters">Wrapper settings, the halt switch and rollback ledgers.</param>
/// <param name="Alarms">CloudWatch alarm states and their evaluation settings.</param>
/// <param name="Fis">FIS experiment templates and experiments.</param>
/// <param name="DeadLetters">The dead-letter queue.</param>
/// <param name="Probes">HTTP load probes.</param>
public sealed record ControlPlaneBackends(
    IParameterStore Parameters,
    IAlarmSource Alarms,
    IFisService Fis,
    IDeadLetterQueue DeadLetters,
    IProbeRunner Probes);

/// <summary>
/// A parameter store (SSM Parameter Store on AWS). Values are read decrypted and written back with their
/// type, key and tier, so nothing the user had is lost on the way through.
/// </summary>
public interface IParameterStore
{
    /// <summary>The parameter (decrypted, with its type, key and tier), or null when it does not exist.</summary>
    Task<StoredParameter?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>Every parameter under <paramref name="path"/> and its sub-paths, decrypted, in name order.</summary>
    Task<IReadOnlyList<StoredParameter>> ListAsync(string path, CancellationToken cancellationToken);

    /// <summary>Creates or overwrites a parameter with the given type, key and tier, after <see cref="ParameterRules"/> accept it.</summary>
    Task PutAsync(StoredParameter parameter, CancellationToken cancellationToken);

    /// <summary>Deletes a parameter; deleting a missing one succeeds.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Alarm states and the settings that decide how fast an alarm can fire.</summary>
public interface IAlarmSource
{
    /// <summary>The named alarms; alarms that do not exist are left out of the result.</summary>
    Task<IReadOnlyList<AlarmStatus>> DescribeAsync(IReadOnlyList<string> names, CancellationToken cancellationToken);
}

/// <summary>One alarm's state and evaluation settings.</summary>
/// <param name="Name">The alarm name.</param>
/// <param name="State"><c>OK</c>, <c>ALARM</c> or <c>INSUFFICIENT_DATA</c>.</param>
/// <param name="PeriodSeconds">The metric period.</param>
/// <param name="EvaluationPeriods">How many periods are evaluated.</param>
/// <param name="DatapointsToAlarm">How many of them must breach.</param>
/// <param name="StateUpdatedAt">When the alarm last changed state (CloudWatch's <c>StateUpdatedTimestamp</c>), if known.</param>
public sealed record AlarmStatus(string Name, string State, int PeriodSeconds, int EvaluationPeriods, int DatapointsToAlarm, DateTimeOffset? StateUpdatedAt = null)
{
    /// <summary>The longest time from a breach starting to this alarm being in ALARM: every evaluated period.</summary>
    public TimeSpan WorstCaseDetection => TimeSpan.FromSeconds((long)PeriodSeconds * Math.Max(EvaluationPeriods, DatapointsToAlarm));
}

/// <summary>FIS: existing templates and the experiments started from them.</summary>
public interface IFisService
{
    /// <summary>Whether a template with this id exists.</summary>
    Task<bool> TemplateExistsAsync(string templateId, CancellationToken cancellationToken);

    /// <summary>The ids of the templates carrying this tag.</summary>
    Task<IReadOnlyList<string>> FindTemplatesByTagAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>Starts an experiment; the same client token returns the same experiment.</summary>
    Task<string> StartExperimentAsync(FisStartRequest request, CancellationToken cancellationToken);

    /// <summary>The experiment's state.</summary>
    Task<FisExperimentStatus> GetExperimentAsync(string experimentId, CancellationToken cancellationToken);

    /// <summary>The ids of the experiments carrying this tag (finds what a start left out of the ledger).</summary>
    Task<IReadOnlyList<string>> FindExperimentsByTagAsync(string key, string value, CancellationToken cancellationToken);

    /// <summary>Stops an experiment; stopping one that has ended succeeds.</summary>
    Task StopExperimentAsync(string experimentId, CancellationToken cancellationToken);
}

/// <summary>What to start.</summary>
/// <param name="TemplateId">The existing template.</param>
/// <param name="ClientToken">Idempotency token: a retried start returns the same experiment.</param>
/// <param name="Tags">Tags for the experiment.</param>
/// <param name="ActionsMode"><c>run-all</c> or <c>skip-all</c>.</param>
public sealed record FisStartRequest(string TemplateId, string ClientToken, IReadOnlyDictionary<string, string> Tags, string ActionsMode);

/// <summary>An experiment's state: pending, initiating, running, completed, stopping, stopped, failed or cancelled.</summary>
/// <param name="State">The state name, lower case.</param>
/// <param name="Reason">Why, when FIS says.</param>
public sealed record FisExperimentStatus(string State, string? Reason);

/// <summary>The dead-letter queue.</summary>
public interface IDeadLetterQueue
{
    /// <summary>Sends one message and returns its id.</summary>
    Task<string> SendAsync(string body, CancellationToken cancellationToken);
}

/// <summary>Runs probe traffic.</summary>
public interface IProbeRunner
{
    /// <summary>Sends the probe's traffic for <paramref name="window"/> and counts the responses.</summary>
    Task<ProbeCounts> RunAsync(HttpLoadFault probe, TimeSpan window, CancellationToken cancellationToken);
}

/// <summary>Responses of a probe, by status code; status 0 counts transport failures.</summary>
public sealed class ProbeCounts
{
    /// <summary>How many requests were sent.</summary>
    public int Requests { get; set; }

    /// <summary>Responses per status code (0 = no response).</summary>
    public Dictionary<string, int> ByStatus { get; set; } = new();

    /// <summary>Adds another window's counts.</summary>
    public void Add(ProbeCounts other)
    {
        Requests += other.Requests;
        foreach (var (status, count) in other.ByStatus)
        {
            ByStatus[status] = ByStatus.GetValueOrDefault(status) + count;
        }
    }
}

/// <summary>
/// A backend call failed. A transient failure (throttling, 5xx, network) is reported as
/// <c>BackendUnavailable</c>, which the state machine retries; a permanent one (access denied, validation,
/// not found) under its own error name, which it does not.
/// </summary>
public sealed class BackendException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="backend">Which backend.</param>
    /// <param name="operation">Which operation.</param>
    /// <param name="message">What went wrong.</param>
    /// <param name="inner">The underlying error.</param>
    /// <param name="errorCode">The service's error name (e.g. <c>AccessDeniedException</c>); null when unknown.</param>
    /// <param name="transient">Whether trying again can succeed. Defaults to true.</param>
    public BackendException(string backend, string operation, string message, Exception? inner = null, string? errorCode = null, bool transient = true)
        : base($"{backend}.{operation} failed: {message}", inner)
    {
        Backend = backend;
        Operation = operation;
        ErrorCode = errorCode;
        IsTransient = transient;
    }

    /// <summary>Which backend (parameters, alarms, fis, deadLetters, probes).</summary>
    public string Backend { get; }

    /// <summary>Which operation.</summary>
    public string Operation { get; }

    /// <summary>The service's error name, e.g. <c>AccessDeniedException</c> or <c>ParameterNotFound</c>; null when unknown.</summary>
    public string? ErrorCode { get; }

    /// <summary>Whether trying again can succeed (throttling, 5xx, network); false for access, validation and missing resources.</summary>
    public bool IsTransient { get; }
}
