using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Operator;

/// <summary>What <c>chaos arm</c> was asked to inject.</summary>
internal sealed class ArmRequest
{
    /// <summary>A function name (the parameter is the prefix plus the name) or a full parameter name starting with <c>/</c>.</summary>
    public required string Target { get; init; }

    /// <summary><c>--latency</c>: <c>300ms</c> or <c>200-800ms</c>.</summary>
    public string? Latency { get; init; }

    /// <summary><c>--status</c>: an HTTP status code to answer instead of the handler's response.</summary>
    public int? Status { get; init; }

    /// <summary><c>--exception</c> was given; <see cref="ExceptionType"/> is its value when it had one.</summary>
    public bool Exception { get; init; }

    /// <summary>The exception type for <c>--exception</c>, or null for the wrapper's default.</summary>
    public string? ExceptionType { get; init; }

    /// <summary><c>--timeout</c>: make the invocation run out of time.</summary>
    public bool Timeout { get; init; }

    /// <summary><c>--dependency</c>: host patterns whose outbound calls get <see cref="DependencyFault"/>.</summary>
    public IReadOnlyList<string> DependencyHosts { get; init; } = [];

    /// <summary><c>--dependency-fault</c>: <c>status:503</c>, <c>status:400:ThrottlingException</c>, <c>latency:200-800ms</c> or <c>connection</c>.</summary>
    public string DependencyFault { get; init; } = "status:503";

    /// <summary><c>--clock-skew</c>: how far the function's clock (<c>ChaosWrapper.Time</c>) is shifted: <c>+5m</c>, <c>-90s</c>.</summary>
    public string? ClockSkew { get; init; }

    /// <summary><c>--clock-drift</c>: added to the shift on every further invocation hit: <c>+1s</c>.</summary>
    public string? ClockDrift { get; init; }

    /// <summary><c>--duplicate-records</c> was given: empty for the default share, a share (<c>0.2</c>), or <c>batch</c>.</summary>
    public string? DuplicateRecords { get; init; }

    /// <summary><c>--reorder-records</c> was given: empty, <c>shuffle</c> or <c>reverse</c>.</summary>
    public string? ReorderRecords { get; init; }

    /// <summary><c>--delay-records</c> was given: empty for the default share, or a share (<c>0.3</c>).</summary>
    public string? DelayRecords { get; init; }

    /// <summary><c>--report-batch-item-failures</c>: the operator confirms the event source mapping reports batch item failures.</summary>
    public bool ReportBatchItemFailures { get; init; }

    /// <summary><c>--corruption</c> was given: empty to garble the handler's body, or the replacement body.</summary>
    public string? Corruption { get; init; }

    /// <summary><c>--wrapper-dry-run</c>: mark the document <c>dryRun</c>, so the wrapper logs and counts what it would inject and injects nothing.</summary>
    public bool WrapperDryRun { get; init; }

    /// <summary><c>--rate</c>: the share of invocations affected, 0 to 1.</summary>
    public double Rate { get; init; } = 1;

    /// <summary><c>--for</c>: how long until the settings expire.</summary>
    public TimeSpan For { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary><c>--experiment-id</c>: carried into the wrapper's logs and metrics.</summary>
    public string? ExperimentId { get; init; }

    /// <summary>The longest <c>--for</c>: settings must expire the same day.</summary>
    public static readonly TimeSpan MaxFor = TimeSpan.FromHours(24);

    /// <summary>The longest <c>--corruption</c> body the wrapper's parser accepts.</summary>
    public const int MaxCorruptionBody = 64 * 1024;

    /// <summary>The parameter to write: the target itself when it starts with <c>/</c>, else the prefix plus the target.</summary>
    public static string ParameterFor(string target, string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        return target.StartsWith('/') ? target : prefix.TrimEnd('/') + "/" + target;
    }

    /// <summary>
    /// The wrapper settings document for this request, validated with the wrapper's own parser.
    /// Throws <see cref="FormatException"/> naming the option or the settings field that is wrong.
    /// </summary>
    public JsonObject ToSettings(DateTimeOffset now)
    {
        if (Rate is < 0 or > 1 || double.IsNaN(Rate))
        {
            throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"--rate must be between 0 and 1 (was {Rate})"));
        }

        if (For <= TimeSpan.Zero || For > MaxFor)
        {
            throw new FormatException($"--for must be more than 0 and at most 24h (was {DurationText.Format(For)})");
        }

        var faults = new JsonArray();
        if (Latency is not null)
        {
            var (min, max) = DurationText.ParseLatency(Latency, "--latency");
            faults.Add(new JsonObject { ["type"] = "latency", ["rate"] = Rate, ["minMs"] = min, ["maxMs"] = max });
        }

        if (Status is { } status)
        {
            faults.Add(new JsonObject
            {
                ["type"] = "statusCode",
                ["rate"] = Rate,
                ["statusCode"] = status,
                ["body"] = """{"message":"injected by chaos arm"}""",
            });
        }

        if (Exception)
        {
            var fault = new JsonObject { ["type"] = "exception", ["rate"] = Rate };
            if (!string.IsNullOrWhiteSpace(ExceptionType))
            {
                fault["exceptionType"] = ExceptionType;
            }

            faults.Add(fault);
        }

        if (Timeout)
        {
            faults.Add(new JsonObject { ["type"] = "timeout", ["rate"] = Rate });
        }

        if (DependencyHosts.Count > 0)
        {
            faults.Add(new JsonObject
            {
                ["type"] = "dependency",
                ["rate"] = Rate,
                ["hosts"] = new JsonArray([.. DependencyHosts.Select(h => (JsonNode)JsonValue.Create(h))]),
                ["fault"] = ParseDependencyFault(DependencyFault),
            });
        }

        AddEventFaults(faults);

        if (Corruption is not null)
        {
            var fault = new JsonObject { ["type"] = "corruption", ["rate"] = Rate };
            if (Corruption.Length > MaxCorruptionBody)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"--corruption body must be at most {MaxCorruptionBody} characters (was {Corruption.Length})"));
            }

            if (Corruption.Length > 0)
            {
                fault["body"] = Corruption;
            }

            faults.Add(fault);
        }

        if (faults.Count == 0)
        {
            throw new FormatException("nothing to arm: give at least one of --latency, --status, --exception, --timeout, --dependency, --clock-skew, --duplicate-records, --reorder-records, --delay-records, --corruption");
        }

        var settings = new JsonObject
        {
            ["version"] = ChaosSettings.CurrentVersion,
            ["enabled"] = true,
            ["expiresAt"] = (now + For).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["experimentId"] = ExperimentId ?? "chaos-arm-" + now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture),
            ["faults"] = faults,
        };
        if (WrapperDryRun)
        {
            settings["dryRun"] = true;
        }

        var parsed = ChaosSettings.Parse(settings.ToJsonString());
        if (!parsed.IsValid)
        {
            throw new FormatException(string.Join(Environment.NewLine, parsed.Errors.Select(e => e.Message)));
        }

        return settings;
    }

    /// <summary>The clockSkew and event-source faults (issue: time travel and at-least-once delivery).</summary>
    private void AddEventFaults(JsonArray faults)
    {
        if (ClockSkew is not null || ClockDrift is not null)
        {
            faults.Add(new JsonObject
            {
                ["type"] = "clockSkew",
                ["rate"] = Rate,
                ["offsetMs"] = ClockSkew is null ? 0 : SignedMilliseconds(ClockSkew, "--clock-skew"),
                ["driftMs"] = ClockDrift is null ? 0 : SignedMilliseconds(ClockDrift, "--clock-drift"),
            });
        }

        if (DuplicateRecords is not null)
        {
            var fault = new JsonObject { ["type"] = "duplicateRecords", ["rate"] = Rate };
            if (DuplicateRecords == "batch")
            {
                fault["mode"] = "batch";
            }
            else if (DuplicateRecords.Length > 0)
            {
                fault["share"] = Share(DuplicateRecords, "--duplicate-records", "a share of the records such as 0.2, or batch");
            }

            faults.Add(fault);
        }

        if (ReorderRecords is not null)
        {
            if (ReorderRecords is not ("" or "shuffle" or "reverse"))
            {
                throw new FormatException($"--reorder-records must be shuffle or reverse (was \"{ReorderRecords}\")");
            }

            faults.Add(new JsonObject { ["type"] = "reorderRecords", ["rate"] = Rate, ["order"] = ReorderRecords.Length == 0 ? "shuffle" : ReorderRecords });
        }

        if (DelayRecords is not null)
        {
            if (!ReportBatchItemFailures)
            {
                throw new FormatException(
                    "--delay-records needs --report-batch-item-failures: confirm the event source mapping has ReportBatchItemFailures " +
                    "in its FunctionResponseTypes (without it Lambda ignores the report and the held-back records are lost)");
            }

            var fault = new JsonObject { ["type"] = "delayRecords", ["rate"] = Rate, ["reportBatchItemFailures"] = true };
            if (DelayRecords.Length > 0)
            {
                fault["share"] = Share(DelayRecords, "--delay-records", "a share of the records such as 0.3");
            }

            faults.Add(fault);
        }
    }

    /// <summary>A signed duration such as <c>+5m</c>, <c>-90s</c> or <c>1h</c> (ahead when unsigned), in whole milliseconds.</summary>
    private static long SignedMilliseconds(string text, string what)
    {
        var trimmed = text.Trim();
        var behind = trimmed.StartsWith('-');
        var magnitude = DurationText.Parse(trimmed.TrimStart('+', '-'), what);
        var ms = (long)Math.Round(magnitude.TotalMilliseconds);
        return behind ? -ms : ms;
    }

    private static double Share(string text, string what, string expected)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || share is <= 0 or > 1)
        {
            throw new FormatException($"{what} must be {expected}, above 0 and at most 1 (was \"{text}\")");
        }

        return share;
    }

    private static JsonObject ParseDependencyFault(string text)
    {
        var parts = text.Split(':', 3, StringSplitOptions.TrimEntries);
        switch (parts[0])
        {
            case "status":
            {
                var fault = new JsonObject { ["kind"] = "status" };
                if (parts.Length > 1)
                {
                    if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new FormatException($"--dependency-fault status code must be a number (was \"{parts[1]}\")");
                    }

                    fault["statusCode"] = code;
                }

                if (parts.Length > 2)
                {
                    fault["errorCode"] = parts[2];
                }

                return fault;
            }

            case "latency" when parts.Length > 1:
            {
                var (min, max) = DurationText.ParseLatency(string.Join(':', parts[1..]), "--dependency-fault latency");
                return new JsonObject { ["kind"] = "latency", ["minMs"] = min, ["maxMs"] = max };
            }

            case "connection":
                return new JsonObject { ["kind"] = "connection" };

            default:
                throw new FormatException($"--dependency-fault must be status[:code[:errorCode]], latency:<min-max>ms or connection (was \"{text}\")");
        }
    }
}
