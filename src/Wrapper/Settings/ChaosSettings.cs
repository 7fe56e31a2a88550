using ServerlessChaos.Wrapper.Settings.Parsing;

namespace ServerlessChaos.Wrapper.Settings;

/// <summary>
/// A parsed, validated wrapper settings document (the value of a function's SSM parameter).
/// Use <see cref="Parse(string)"/> to read one; the orchestrator and the CLI validate with the same method.
/// </summary>
internal sealed class ChaosSettings
{
    /// <summary>The only document version this wrapper reads.</summary>
    public const int CurrentVersion = 1;

    internal ChaosSettings(
        int version, bool enabled, DateTimeOffset? expiresAt, string? experimentId,
        IReadOnlyList<FaultSettings> faults, SettingsLayout layout)
    {
        Version = version;
        Enabled = enabled;
        ExpiresAt = expiresAt;
        ExperimentId = experimentId;
        Faults = faults;
        Layout = layout;
        foreach (var fault in faults)
        {
            HasEventMatch |= fault.Match.Count > 0;
            // A fault at rate 0 never fires, so it never needs the event: reading a typed event means serializing it
            // (hundreds of ns), which an armed-at-rate-0 document (a prepared experiment) must not pay per invocation.
            NeedsEvent |= fault.Rate > 0 && (fault.Match.Count > 0 || fault.Type is FaultTypes.SqsBatchFailure or FaultTypes.DelayRecords or FaultTypes.DuplicateRecords or FaultTypes.ReorderRecords);
        }
    }

    /// <summary>The disarmed baseline, <c>{"version":1,"enabled":false}</c>.</summary>
    public static ChaosSettings Disarmed { get; } =
        new(CurrentVersion, false, null, null, [], SettingsLayout.ServerlessChaos);

    /// <summary>Document version (field <c>version</c>); always <see cref="CurrentVersion"/>.</summary>
    public int Version { get; }

    /// <summary>Whether faults are switched on (field <c>enabled</c>).</summary>
    public bool Enabled { get; }

    /// <summary>
    /// When the settings stop counting (field <c>expiresAt</c>, UTC). Required when <see cref="Enabled"/> is true in this
    /// project's layout; the failure-lambda and chaos_lambda layouts may omit it (then they never expire, as in those tools).
    /// </summary>
    public DateTimeOffset? ExpiresAt { get; }

    /// <summary>An experiment id carried into every log line and metric (field <c>experimentId</c>).</summary>
    public string? ExperimentId { get; }

    /// <summary>The configured faults, in document order.</summary>
    public IReadOnlyList<FaultSettings> Faults { get; }

    /// <summary>The layout the document was written in.</summary>
    public SettingsLayout Layout { get; }

    /// <summary>Whether any fault has event conditions (the event must then be inspected).</summary>
    internal bool HasEventMatch { get; }

    /// <summary>Whether the event must be read (conditions, SQS message ids, or a batch the event-source faults edit).</summary>
    internal bool NeedsEvent { get; }

    /// <summary>Armed: <see cref="Enabled"/>, and <see cref="ExpiresAt"/> (when given) is after <paramref name="now"/>.</summary>
    public bool IsArmedAt(DateTimeOffset now) =>
        Enabled && (ExpiresAt is null ? Layout != SettingsLayout.ServerlessChaos : now < ExpiresAt.Value);

    /// <summary>
    /// Parses and validates a settings document in this project's layout, failure-lambda's (1.x and 0.x) or
    /// chaos_lambda 0.3's. Never throws: problems come back in <see cref="SettingsParseResult.Errors"/>, each naming its field.
    /// </summary>
    /// <param name="json">The document text.</param>
    public static SettingsParseResult Parse(string? json) => SettingsParser.Parse(json);
}
