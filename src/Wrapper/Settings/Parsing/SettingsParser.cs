using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Settings.Parsing;

/// <summary>The one settings parser: detects the layout, then reads and validates every field.</summary>
internal static class SettingsParser
{
    private const string Root = "settings";
    private const int MaxTextLength = 4096;
    private const int MaxFaults = 32;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 32,
    };

    public static SettingsParseResult Parse(string? json)
    {
        var reader = new FieldReader();
        if (string.IsNullOrWhiteSpace(json))
        {
            reader.Error(Root, "must be a JSON object (was empty)");
            return new SettingsParseResult(null, reader.Errors);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            reader.Error(Root, $"is not valid JSON ({ex.Message})");
            return new SettingsParseResult(null, reader.Errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reader.Error(Root, $"must be a JSON object (was {FieldReader.Describe(root)})");
                return new SettingsParseResult(null, reader.Errors);
            }

            var settings = DetectLayout(root) switch
            {
                SettingsLayout.FailureLambdaV1 => LegacyLayouts.ReadFailureLambdaV1(root, reader),
                SettingsLayout.FailureLambda0x => LegacyLayouts.ReadFailureLambda0x(root, reader),
                SettingsLayout.ChaosLambda03 => LegacyLayouts.ReadChaosLambda(root, reader),
                _ => ReadNative(root, reader),
            };
            return reader.HasErrors ? new SettingsParseResult(null, reader.Errors) : new SettingsParseResult(settings, [], reader.Warnings);
        }
    }

    internal static SettingsLayout DetectLayout(JsonElement root)
    {
        bool Has(string name) => root.TryGetProperty(name, out _);

        if (Has("version") || Has("faults"))
        {
            return SettingsLayout.ServerlessChaos;
        }

        if (Has("failureMode"))
        {
            return SettingsLayout.FailureLambda0x;
        }

        if (Has("fault_type") || Has("is_enabled") || (Has("isEnabled") && (Has("delay") || Has("error_code") || Has("exception_msg"))))
        {
            return SettingsLayout.ChaosLambda03;
        }

        if (Has("isEnabled"))
        {
            return SettingsLayout.FailureLambda0x;
        }

        foreach (var mode in LegacyLayouts.FailureLambdaModes)
        {
            if (Has(mode))
            {
                return SettingsLayout.FailureLambdaV1;
            }
        }

        return SettingsLayout.ServerlessChaos;
    }

    private static ChaosSettings? ReadNative(JsonElement root, FieldReader reader)
    {
        var version = reader.Integer(root, Root, "version", 0, int.MaxValue, null, required: true);
        if (version is not null and not ChaosSettings.CurrentVersion)
        {
            reader.Error($"{Root}.version", $"must be {ChaosSettings.CurrentVersion} (was {version})");
        }

        var enabled = reader.Bool(root, Root, "enabled", null, required: true);
        var expiresAt = reader.Timestamp(root, Root, "expiresAt");
        if (enabled == true && expiresAt is null && !reader.TryGet(root, "expiresAt", out _))
        {
            reader.Error($"{Root}.expiresAt", "is required when enabled is true (an ISO 8601 UTC timestamp, so forgotten settings stop by themselves)");
        }

        var experimentId = reader.String(root, Root, "experimentId", null, 256);
        var faults = new List<FaultSettings>();
        if (reader.TryGet(root, "faults", out var faultsElement))
        {
            if (faultsElement.ValueKind != JsonValueKind.Array)
            {
                reader.Error($"{Root}.faults", $"must be an array of faults (was {FieldReader.Describe(faultsElement)})");
            }
            else if (faultsElement.GetArrayLength() > MaxFaults)
            {
                reader.Error($"{Root}.faults", $"must hold at most {MaxFaults} faults (was {faultsElement.GetArrayLength()})");
            }
            else
            {
                var index = 0;
                foreach (var faultElement in faultsElement.EnumerateArray())
                {
                    var fault = ReadFault(faultElement, $"{Root}.faults[{index++}]", reader);
                    if (fault is not null)
                    {
                        faults.Add(fault);
                    }
                }
            }
        }

        ApplyDocumentDryRun(root, faults, reader);
        return reader.HasErrors
            ? null
            : new ChaosSettings(version!.Value, enabled!.Value, expiresAt, experimentId, faults, SettingsLayout.ServerlessChaos);
    }

    private static FaultSettings? ReadFault(JsonElement element, string path, FieldReader reader)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            reader.Error(path, $"must be an object (was {FieldReader.Describe(element)})");
            return null;
        }

        var type = reader.String(element, path, "type", null, 64, required: true);
        if (type is null)
        {
            return null;
        }

        var errorsBefore = reader.Errors.Count;
        var rate = reader.Number(element, path, "rate", 0, 1, null, required: true);
        var match = ReadMatch(element, path, "match", "op", reader);
        FaultSettings? fault;
        switch (type)
        {
            case FaultTypes.Latency:
                reader.RejectUnknown(element, path, "a latency fault", "type", "rate", "match", "dryRun", "ms", "minMs", "maxMs", "allowPastDeadline");
                var (min, max) = ReadDelay(element, path, reader);
                var allow = reader.Bool(element, path, "allowPastDeadline", false);
                fault = new LatencyFaultSettings(rate ?? 0, match, min, max, allow ?? false);
                break;
            case FaultTypes.Exception:
                reader.RejectUnknown(element, path, "an exception fault", "type", "rate", "match", "dryRun", "exceptionType", "message");
                var exceptionType = ReadExceptionType(element, path, "exceptionType", reader);
                var message = reader.String(element, path, "message", ExceptionFaultSettings.DefaultMessage, MaxTextLength);
                fault = new ExceptionFaultSettings(rate ?? 0, match, exceptionType ?? "", message ?? "");
                break;
            case FaultTypes.StatusCode:
                reader.RejectUnknown(element, path, "a statusCode fault", "type", "rate", "match", "dryRun", "statusCode", "body", "headers", "runHandler");
                var statusCode = reader.Integer(element, path, "statusCode", 100, 599, null, required: true);
                var body = reader.String(element, path, "body", null, 64 * 1024);
                var headers = ReadHeaders(element, path, reader);
                var runHandler = reader.Bool(element, path, "runHandler", false);
                fault = new StatusCodeFaultSettings(rate ?? 0, match, statusCode ?? 0, body, headers, runHandler ?? false);
                break;
            case FaultTypes.Dependency:
                reader.RejectUnknown(element, path, "a dependency fault", "type", "rate", "match", "dryRun", "hosts", "fault");
                fault = ReadDependency(element, path, rate ?? 0, match, reader);
                break;
            case FaultTypes.DiskSpace:
                reader.RejectUnknown(element, path, "a diskSpace fault", "type", "rate", "match", "dryRun", "megabytes");
                var megabytes = reader.Integer(element, path, "megabytes", 1, DiskSpaceFaultSettings.MaxMegabytes, null, required: true);
                fault = new DiskSpaceFaultSettings(rate ?? 0, match, megabytes ?? 0);
                break;
            case FaultTypes.SqsBatchFailure:
                reader.RejectUnknown(element, path, "an sqsBatchFailure fault", "type", "rate", "match", "dryRun", "share");
                var share = reader.Number(element, path, "share", 0, 1, 1);
                fault = new SqsBatchFailureFaultSettings(rate ?? 0, match, share ?? 0);
                break;
            case FaultTypes.Corruption:
                reader.RejectUnknown(element, path, "a corruption fault", "type", "rate", "match", "dryRun", "body");
                var replacement = reader.String(element, path, "body", null, 64 * 1024);
                fault = new CorruptionFaultSettings(rate ?? 0, match, replacement);
                break;
            case FaultTypes.Timeout:
                reader.RejectUnknown(element, path, "a timeout fault", "type", "rate", "match", "dryRun", "bufferMs");
                var buffer = reader.Integer(element, path, "bufferMs", 0, 60_000, TimeoutFaultSettings.DefaultBufferMs);
                fault = new TimeoutFaultSettings(rate ?? 0, match, buffer ?? 0);
                break;
            case FaultTypes.ClockSkew:
                reader.RejectUnknown(element, path, "a clockSkew fault", "type", "rate", "match", "dryRun", "offsetMs", "driftMs");
                fault = ReadClockSkew(element, path, rate ?? 0, match, reader);
                break;
            case FaultTypes.DelayRecords:
                reader.RejectUnknown(element, path, "a delayRecords fault", "type", "rate", "match", "dryRun", "share", "reportBatchItemFailures");
                var delayShare = ReadShare(element, path, reader);
                if (reader.Bool(element, path, "reportBatchItemFailures", null) != true && !reader.Errors.Any(e => e.Field == $"{path}.reportBatchItemFailures"))
                {
                    reader.Error($"{path}.reportBatchItemFailures", "must be true, confirming the event source mapping has ReportBatchItemFailures in its FunctionResponseTypes (without it Lambda ignores the report and the held-back records are lost)");
                }

                fault = new DelayRecordsFaultSettings(rate ?? 0, match, delayShare ?? 0);
                break;
            case FaultTypes.DuplicateRecords:
                reader.RejectUnknown(element, path, "a duplicateRecords fault", "type", "rate", "match", "dryRun", "share", "mode");
                var duplicateShare = ReadShare(element, path, reader);
                var mode = reader.String(element, path, "mode", "records", 16) switch
                {
                    "records" => DuplicateMode.Records,
                    "batch" => DuplicateMode.Batch,
                    null => (DuplicateMode?)null,
                    var other => Invalid<DuplicateMode>(reader, $"{path}.mode", $"must be records or batch (was \"{other}\")"),
                };
                fault = new DuplicateRecordsFaultSettings(rate ?? 0, match, duplicateShare ?? 0, mode ?? DuplicateMode.Records);
                break;
            case FaultTypes.ReorderRecords:
                reader.RejectUnknown(element, path, "a reorderRecords fault", "type", "rate", "match", "dryRun", "order");
                var order = reader.String(element, path, "order", "shuffle", 16) switch
                {
                    "shuffle" => RecordOrder.Shuffle,
                    "reverse" => RecordOrder.Reverse,
                    null => (RecordOrder?)null,
                    var other => Invalid<RecordOrder>(reader, $"{path}.order", $"must be shuffle or reverse (was \"{other}\")"),
                };
                fault = new ReorderRecordsFaultSettings(rate ?? 0, match, order ?? RecordOrder.Shuffle);
                break;
            default:
                reader.Error($"{path}.type", $"must be one of {string.Join(", ", FaultTypes.All)} (was \"{type}\")");
                return null;
        }

        if (fault is not null && reader.Bool(element, path, "dryRun", false) == true)
        {
            fault.DryRun = true;
        }

        return reader.Errors.Count == errorsBefore ? fault : null;
    }

    /// <summary>A document-wide <c>"dryRun": true</c> makes every fault a dry run.</summary>
    internal static void ApplyDocumentDryRun(JsonElement root, IReadOnlyList<FaultSettings> faults, FieldReader reader)
    {
        if (reader.Bool(root, Root, "dryRun", false) == true)
        {
            foreach (var fault in faults)
            {
                fault.DryRun = true;
            }
        }
    }

    private static ClockSkewFaultSettings? ReadClockSkew(JsonElement element, string path, double rate, IReadOnlyList<EventMatch> match, FieldReader reader)
    {
        const long max = ClockSkewFaultSettings.MaxOffsetMs;
        var offset = reader.WholeNumber(element, path, "offsetMs", -max, max, 0);
        var drift = reader.WholeNumber(element, path, "driftMs", -max, max, 0);
        if (offset == 0 && drift == 0)
        {
            reader.Error($"{path}.offsetMs", "is required when driftMs is 0 or absent: a whole number of milliseconds to shift the clock, positive ahead, negative behind (was 0 or missing)");
            return null;
        }

        return offset is null || drift is null ? null : new ClockSkewFaultSettings(rate, match, offset.Value, drift.Value);
    }

    /// <summary>Reads an event-source fault's <c>share</c> of the batch: above 0, at most 1, default 0.5.</summary>
    private static double? ReadShare(JsonElement element, string path, FieldReader reader)
    {
        var share = reader.Number(element, path, "share", 0, 1, 0.5);
        if (share == 0)
        {
            reader.Error($"{path}.share", "must be above 0 (a share of the batch's records, rounded up to at least one; was 0)");
            return null;
        }

        return share;
    }

    private static T? Invalid<T>(FieldReader reader, string field, string problem)
        where T : struct
    {
        reader.Error(field, problem);
        return null;
    }

    /// <summary>Reads <c>ms</c> (fixed) or <c>minMs</c>/<c>maxMs</c> (uniform range).</summary>
    internal static (int Min, int Max) ReadDelay(JsonElement element, string path, FieldReader reader)
    {
        const int max = LatencyFaultSettings.MaxDelayMs;
        if (reader.TryGet(element, "ms", out _))
        {
            if (reader.TryGet(element, "minMs", out _) || reader.TryGet(element, "maxMs", out _))
            {
                reader.Error($"{path}.ms", "cannot be combined with minMs/maxMs (use ms for a fixed delay or minMs and maxMs for a range)");
            }

            var fixedMs = reader.Integer(element, path, "ms", 0, max, null) ?? 0;
            return (fixedMs, fixedMs);
        }

        var minMs = reader.Integer(element, path, "minMs", 0, max, null, required: true);
        var maxMs = reader.Integer(element, path, "maxMs", 0, max, minMs);
        if (minMs is not null && maxMs is not null && maxMs < minMs)
        {
            reader.Error($"{path}.maxMs", $"must be at least minMs (was {maxMs} < {minMs})");
        }

        return (minMs ?? 0, maxMs ?? 0);
    }

    internal static string? ReadExceptionType(JsonElement element, string path, string name, FieldReader reader)
    {
        var raw = reader.String(element, path, name, ExceptionFaultSettings.DefaultExceptionType, 128);
        if (raw is null)
        {
            return null;
        }

        var normalized = InjectedExceptions.Normalize(raw);
        if (normalized is null)
        {
            reader.Error($"{path}.{name}", $"must be one of {string.Join(", ", InjectedExceptions.SupportedTypes)} (was \"{raw}\")");
        }

        return normalized;
    }

    private static IReadOnlyDictionary<string, string> ReadHeaders(JsonElement element, string path, FieldReader reader)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!reader.TryGet(element, "headers", out var value))
        {
            return headers;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            reader.Error($"{path}.headers", $"must be an object of header names to string values (was {FieldReader.Describe(value)})");
            return headers;
        }

        foreach (var header in value.EnumerateObject())
        {
            if (header.Value.ValueKind != JsonValueKind.String)
            {
                reader.Error($"{path}.headers.{header.Name}", $"must be a string (was {FieldReader.Describe(header.Value)})");
            }
            else if (header.Name.Length == 0 || header.Name.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                reader.Error($"{path}.headers", $"has an invalid header name \"{header.Name}\"");
            }
            else
            {
                headers[header.Name] = header.Value.GetString()!;
            }
        }

        return headers;
    }

    private static DependencyFaultSettings? ReadDependency(JsonElement element, string path, double rate, IReadOnlyList<EventMatch> match, FieldReader reader)
    {
        var hosts = new List<HostPattern>();
        if (!reader.TryGet(element, "hosts", out var hostsElement) || hostsElement.ValueKind != JsonValueKind.Array || hostsElement.GetArrayLength() == 0)
        {
            reader.Error($"{path}.hosts", $"must be a non-empty array of host patterns such as \"*.dynamodb.*.amazonaws.com\" (was {FieldReader.Describe(hostsElement)})");
        }
        else
        {
            var index = 0;
            foreach (var host in hostsElement.EnumerateArray())
            {
                if (host.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(host.GetString()) || host.GetString()!.Length > 255)
                {
                    reader.Error($"{path}.hosts[{index}]", $"must be a host pattern of 1-255 characters (was {FieldReader.Describe(host)})");
                }
                else
                {
                    hosts.Add(HostPattern.Glob(host.GetString()!.Trim()));
                }

                index++;
            }
        }

        var faultPath = $"{path}.fault";
        if (!reader.TryGet(element, "fault", out var action) || action.ValueKind != JsonValueKind.Object)
        {
            reader.Error(faultPath, $"is required: an object with kind latency, status or connection (was {FieldReader.Describe(action)})");
            return null;
        }

        var kindText = reader.String(action, faultPath, "kind", null, 32, required: true);
        switch (kindText)
        {
            case "latency":
                reader.RejectUnknown(action, faultPath, "a latency dependency fault", "kind", "ms", "minMs", "maxMs");
                var (min, max) = ReadDelay(action, faultPath, reader);
                return new DependencyFaultSettings(rate, match, hosts, DependencyFaultKind.Latency, min, max, 0, "", "");
            case "status":
                reader.RejectUnknown(action, faultPath, "a status dependency fault", "kind", "statusCode", "errorCode", "message");
                var statusCode = reader.Integer(action, faultPath, "statusCode", 400, 599, 503);
                var errorCode = reader.String(action, faultPath, "errorCode", "ServiceUnavailable", 128);
                var message = reader.String(action, faultPath, "message", "Injected by ServerlessChaos", MaxTextLength);
                return new DependencyFaultSettings(rate, match, hosts, DependencyFaultKind.Status, 0, 0, statusCode ?? 0, errorCode ?? "", message ?? "");
            case "connection":
                reader.RejectUnknown(action, faultPath, "a connection dependency fault", "kind", "message");
                var connectionMessage = reader.String(action, faultPath, "message", "Connection refused (injected by ServerlessChaos)", MaxTextLength);
                return new DependencyFaultSettings(rate, match, hosts, DependencyFaultKind.Connection, 0, 0, 0, "", connectionMessage ?? "");
            case null:
                return null;
            default:
                reader.Error($"{faultPath}.kind", $"must be one of latency, status, connection (was \"{kindText}\")");
                return null;
        }
    }

    /// <summary>
    /// Reads one condition object or an array of them; <paramref name="operatorField"/> names the operator field.
    /// <paramref name="failureLambda"/>: failure-lambda 1.x's rules (an array only, other fields ignored, paths case-sensitive).
    /// </summary>
    internal static IReadOnlyList<EventMatch> ReadMatch(
        JsonElement element, string path, string name, string operatorField, FieldReader reader, bool failureLambda = false)
    {
        if (!reader.TryGet(element, name, out var value))
        {
            return [];
        }

        var matchPath = $"{path}.{name}";
        var conditions = new List<EventMatch>();
        if (value.ValueKind == JsonValueKind.Object && !failureLambda)
        {
            AddCondition(value, matchPath);
        }
        else if (value.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                AddCondition(item, $"{matchPath}[{index++}]");
            }
        }
        else
        {
            reader.Error(matchPath, failureLambda
                ? $"must be an array of condition objects (was {FieldReader.Describe(value)})"
                : $"must be a condition object or an array of them (was {FieldReader.Describe(value)})");
        }

        return conditions;

        void AddCondition(JsonElement condition, string conditionPath)
        {
            if (condition.ValueKind != JsonValueKind.Object)
            {
                reader.Error(conditionPath, $"must be an object with path, {operatorField} and value (was {FieldReader.Describe(condition)})");
                return;
            }

            if (!failureLambda)
            {
                reader.RejectUnknown(condition, conditionPath, "a match condition", "path", operatorField, "value");
            }

            var matchOn = reader.String(condition, conditionPath, "path", null, 256, required: true);
            if (matchOn is not null && (matchOn.Length == 0 || matchOn.Split('.').Any(segment => segment.Length == 0)))
            {
                reader.Error($"{conditionPath}.path", $"must be a dot-separated path such as requestContext.http.method (was \"{matchOn}\")");
                matchOn = null;
            }

            var opText = reader.String(condition, conditionPath, operatorField, "eq", 16);
            MatchOperator? op = opText switch
            {
                "eq" => MatchOperator.Eq,
                "startsWith" => MatchOperator.StartsWith,
                "exists" => MatchOperator.Exists,
                "regex" => MatchOperator.Regex,
                null => null,
                _ => null,
            };
            if (opText is not null && op is null)
            {
                reader.Error($"{conditionPath}.{operatorField}", $"must be one of eq, startsWith, exists, regex (was \"{opText}\")");
            }

            string? expected = null;
            if (op is not MatchOperator.Exists)
            {
                expected = reader.String(condition, conditionPath, "value", null, EventMatch.MaxRegexLength, required: op is not null);
            }

            Regex? regex = null;
            if (op == MatchOperator.Regex && expected is not null)
            {
                regex = TryCreateRegex(expected, $"{conditionPath}.value", reader);
            }

            if (matchOn is not null && op is not null && (op == MatchOperator.Exists || expected is not null) && (op != MatchOperator.Regex || regex is not null))
            {
                conditions.Add(new EventMatch(matchOn, op.Value, expected, regex) { CaseSensitive = failureLambda });
            }
        }
    }

    internal static Regex? TryCreateRegex(string pattern, string field, FieldReader reader)
    {
        if (pattern.Length > EventMatch.MaxRegexLength)
        {
            reader.Error(field, $"must be a regular expression of at most {EventMatch.MaxRegexLength} characters (was {pattern.Length})");
            return null;
        }

        try
        {
            return EventMatch.CreateRegex(pattern);
        }
        catch (ArgumentException ex)
        {
            reader.Error(field, $"is not a valid regular expression ({ex.Message})");
        }
        catch (NotSupportedException ex)
        {
            // The linear-time engine refuses backreferences and lookarounds; that keeps matching bounded.
            reader.Error(field, $"uses a construct the time-bounded regex engine does not support ({ex.Message})");
        }

        return null;
    }
}
