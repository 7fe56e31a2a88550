using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>
/// A validated experiment (input format version 1). Built only by <see cref="ExperimentParser"/>,
/// so every instance has passed validation.
/// </summary>
public sealed class Experiment
{
    /// <summary>The input format version. Defaults to 1, the only version.</summary>
    public int Version { get; set; } = 1;

    /// <summary>Short name, also used in the wrapper settings' <c>experimentId</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Free text for the journal and the console.</summary>
    public string? Description { get; set; }

    /// <summary>Tags copied onto FIS experiments and the journal.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();

    /// <summary>The steady state that must hold before, during and after.</summary>
    public Hypothesis Hypothesis { get; set; } = new();

    /// <summary>The faults to inject, in order.</summary>
    public List<FaultSpec> Faults { get; set; } = new();

    /// <summary>How long the faults stay on, in seconds.</summary>
    public int DurationSeconds { get; set; }

    /// <summary>Seconds between two observations. Defaults to 10.</summary>
    public int PollIntervalSeconds { get; set; } = ExperimentDefaults.PollIntervalSeconds;

    /// <summary>The longest acceptable time from an alarm to rollback, in seconds. Defaults to 120.</summary>
    public int AbortBudgetSeconds { get; set; } = ExperimentDefaults.AbortBudgetSeconds;

    /// <summary>When true nothing is armed, probes do not run and FIS templates start with <c>skip-all</c>.</summary>
    public bool DryRun { get; set; }

    /// <summary>
    /// Allows armed settings over 4 KB to be written in the Advanced tier (up to 8 KB, charged per parameter).
    /// Defaults to false: such a document is refused before anything is written.
    /// </summary>
    public bool AllowAdvancedTier { get; set; }
}

/// <summary>The steady-state hypothesis: CloudWatch alarms that must stay OK.</summary>
public sealed class Hypothesis
{
    /// <summary>Alarm names that must be OK before, during and after the experiment.</summary>
    public List<string> Alarms { get; set; } = new();

    /// <summary>Seconds allowed after rollback for every alarm to be OK again. Defaults to 60.</summary>
    public int RecoveryWindowSeconds { get; set; } = ExperimentDefaults.RecoveryWindowSeconds;
}

/// <summary>One fault: exactly one of the properties is set.</summary>
public sealed class FaultSpec
{
    /// <summary>Wrapper settings written to a function's parameter.</summary>
    public WrapperFault? Wrapper { get; set; }

    /// <summary>An existing FIS experiment template to start.</summary>
    public FisFault? Fis { get; set; }

    /// <summary>An HTTP load probe against an endpoint.</summary>
    public HttpLoadFault? HttpLoad { get; set; }
}

/// <summary>Wrapper settings for one function.</summary>
public sealed class WrapperFault
{
    /// <summary>The function's settings parameter (under the parameter prefix).</summary>
    public string Parameter { get; set; } = "";

    /// <summary>The wrapper settings document; the arm step adds <c>expiresAt</c> and <c>experimentId</c>.</summary>
    public JsonObject Settings { get; set; } = new();
}

/// <summary>An existing FIS experiment template, found by id or by tag. Templates are never created per run.</summary>
public sealed class FisFault
{
    /// <summary>The template id.</summary>
    public string? TemplateId { get; set; }

    /// <summary>Or: a tag that identifies exactly one template.</summary>
    public TagFilter? TemplateTag { get; set; }

    /// <summary><c>run-all</c> (default) or <c>skip-all</c> (a dry run of the template).</summary>
    public string ActionsMode { get; set; } = "run-all";
}

/// <summary>A tag key and value.</summary>
public sealed class TagFilter
{
    /// <summary>The tag key.</summary>
    public string Key { get; set; } = "";

    /// <summary>The tag value.</summary>
    public string Value { get; set; } = "";
}

/// <summary>An HTTP load probe: traffic at a rate, with an expectation on the responses.</summary>
public sealed class HttpLoadFault
{
    /// <summary>The endpoint URL (http or https).</summary>
    public string Url { get; set; } = "";

    /// <summary>The HTTP method. Defaults to GET.</summary>
    public string Method { get; set; } = "GET";

    /// <summary>Requests per second. Defaults to 5.</summary>
    public double RatePerSecond { get; set; } = 5;

    /// <summary>Seconds of traffic; defaults to the experiment duration.</summary>
    public int DurationSeconds { get; set; }

    /// <summary>Requests in flight at most. Defaults to 4.</summary>
    public int Concurrency { get; set; } = 4;

    /// <summary>The request variant: <c>valid</c>, <c>malformedBody</c>, <c>missingAuthorization</c> or <c>invalidAuthorization</c>.</summary>
    public string Variant { get; set; } = "valid";

    /// <summary>The body sent by the <c>valid</c> variant.</summary>
    public string? Body { get; set; }

    /// <summary>Headers sent with every request (the authorization variants change <c>Authorization</c>).</summary>
    public Dictionary<string, string> Headers { get; set; } = new();

    /// <summary>What the responses must look like.</summary>
    public ProbeExpectation Expect { get; set; } = new();
}

/// <summary>The expectation on a probe's responses.</summary>
public sealed class ProbeExpectation
{
    /// <summary>No response may be a 5xx (or a transport failure). Defaults to true.</summary>
    public bool No5xx { get; set; } = true;

    /// <summary>When set, every response status must be one of these.</summary>
    public List<int>? StatusCodes { get; set; }
}

/// <summary>The documented defaults of the experiment format.</summary>
public static class ExperimentDefaults
{
    /// <summary>Poll interval when none is given: 10 s.</summary>
    public const int PollIntervalSeconds = 10;

    /// <summary>Abort budget when none is given: 120 s.</summary>
    public const int AbortBudgetSeconds = 120;

    /// <summary>Recovery window when none is given: 60 s.</summary>
    public const int RecoveryWindowSeconds = 60;

    /// <summary>The longest experiment: 12 h.</summary>
    public const int MaxDurationSeconds = 43200;

    /// <summary>The longest poll interval: 300 s (the Observe task's timeout is above it).</summary>
    public const int MaxPollIntervalSeconds = 300;
}
