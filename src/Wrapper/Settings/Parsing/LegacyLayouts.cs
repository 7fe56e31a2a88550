using System.Text.Json;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Settings.Parsing;

/// <summary>
/// Reads the layouts of the tools teams move from, giving each field the meaning the tool's own source gives it:
/// failure-lambda 1.0 (<c>src/config.ts</c>, <c>src/failures/*.ts</c>), failure-lambda 0.4.4 (<c>lib/failure.js</c>) and
/// chaos_lambda 0.3 (<c>chaos_lambda.py</c>). All may add <c>expiresAt</c>, <c>experimentId</c> and <c>dryRun</c>.
/// Where a tool has a defect, the safe behaviour is chosen and the README's migration table lists it.
/// </summary>
internal static class LegacyLayouts
{
    private const string Root = "settings";

    /// <summary>failure-lambda 1.x's flags in its FAILURE_MODE_ORDER (src/types.ts): the order they are applied in.</summary>
    public static readonly string[] FailureLambdaModes = ["latency", "timeout", "diskspace", "denylist", "statuscode", "exception", "corruption"];

    // failure-lambda 1.x defaults (src/failures/*.ts).
    private const int V1DefaultStatusCode = 500;
    private const string V1DefaultExceptionMessage = "Injected exception";
    private const int V1DefaultDiskSpace = 100;
    private const double V1MaxDiskSpace = 10240;

    public static ChaosSettings? ReadFailureLambdaV1(JsonElement root, FieldReader reader)
    {
        var faults = new List<FaultSettings>();
        var anyEnabled = false;
        foreach (var mode in FailureLambdaModes)
        {
            if (!root.TryGetProperty(mode, out var flag))
            {
                continue;
            }

            // config.ts parseFlags: a flag that is not an object, or fails validation, is skipped; the others stay.
            var path = $"{Root}.{mode}";
            var part = new FieldReader();
            if (flag.ValueKind != JsonValueKind.Object)
            {
                part.Error(path, $"must be an object such as {{\"enabled\": true}} (was {FieldReader.Describe(flag)})");
                reader.Skip(part, path, "the other flags stay as they are");
                continue;
            }

            var fault = ReadFlag(mode, flag, path, part, out var enabled);
            if (part.HasErrors)
            {
                reader.Skip(part, path, "the other flags stay as they are");
                continue;
            }

            anyEnabled |= enabled;
            if (fault is not null)
            {
                faults.Add(fault);
            }
        }

        return Finish(root, reader, anyEnabled, faults, SettingsLayout.FailureLambdaV1);
    }

    /// <summary>One failure-lambda 1.x flag, validated as config.ts validateFlagValue does; null when it injects nothing.</summary>
    private static FaultSettings? ReadFlag(string mode, JsonElement flag, string path, FieldReader part, out bool enabled)
    {
        // validateFlagValue: enabled must be a boolean; percentage an integer 0-100, default 100 (resolveFailures).
        // A "rate" field is not failure-lambda's and is ignored, as there.
        enabled = part.Bool(flag, path, "enabled", null, required: true) == true;
        var percentage = part.Integer(flag, path, "percentage", 0, 100, 100);
        var match = SettingsParser.ReadMatch(flag, path, "match", "operator", part, failureLambda: true);
        var rate = (percentage ?? 0) / 100.0;
        FaultSettings? fault;
        switch (mode)
        {
            case "latency":
                // failures/latency.ts: min and max default to 0, delay = floor(min + random * max(0, max - min)).
                var min = NonNegative(flag, path, "min_latency", part);
                var max = NonNegative(flag, path, "max_latency", part);
                if (min is not null && max is not null && min > max)
                {
                    part.Error($"{path}.max_latency", $"must be at least min_latency (was {max} < {min})");
                }

                var minMs = Milliseconds(min ?? 0);
                fault = new LatencyFaultSettings(rate, match, minMs, Math.Max(minMs, Milliseconds(max ?? 0)), allowPastDeadline: true);
                break;
            case "timeout":
                // failures/timeout.ts: sleep for the remaining time minus timeout_buffer_ms (default 0).
                var buffer = NonNegative(flag, path, "timeout_buffer_ms", part);
                fault = new TimeoutFaultSettings(rate, match, Milliseconds(buffer ?? 0));
                break;
            case "diskspace":
                // failures/diskspace.ts: disk_space MB (1024 x 1024 bytes), default 100, above 0 and at most 10240.
                var megabytes = Positive(flag, path, "disk_space", V1MaxDiskSpace, part) ?? V1DefaultDiskSpace;
                fault = new DiskSpaceFaultSettings(rate, match, (int)Math.Ceiling(megabytes));
                break;
            case "denylist":
                // failures/denylist.ts: deny_list defaults to [] (blocks nothing); each entry a regular expression.
                var hosts = HostRegexes(flag, path, "deny_list", part);
                fault = hosts.Count == 0 ? null : Denylist(rate, match, hosts);
                break;
            case "statuscode":
                // failures/statuscode.ts: status_code default 500; a JSON body naming it; the handler does not run.
                var statusCode = part.Integer(flag, path, "status_code", 100, 599, V1DefaultStatusCode) ?? 0;
                fault = new StatusCodeFaultSettings(
                    rate, match, statusCode, $"{{\"message\":\"Injected status code {statusCode}\"}}",
                    new Dictionary<string, string> { ["Content-Type"] = "application/json" }, runHandler: false);
                break;
            case "exception":
                // failures/exception.ts: throw new Error(exception_msg ?? "Injected exception").
                var message = part.String(flag, path, "exception_msg", V1DefaultExceptionMessage, 4096);
                fault = new ExceptionFaultSettings(rate, match, ExceptionFaultSettings.DefaultExceptionType, message ?? "");
                break;
            default:
                // failures/corruption.ts: replace the body with "body" when given, otherwise garble it.
                var body = part.String(flag, path, "body", null, 64 * 1024);
                fault = new CorruptionFaultSettings(rate, match, body);
                break;
        }

        if (part.Bool(flag, path, "dryRun", false) == true && fault is not null)
        {
            fault.DryRun = true;
        }

        return enabled && !part.HasErrors ? fault : null;
    }

    public static ChaosSettings? ReadFailureLambda0x(JsonElement root, FieldReader reader)
    {
        // lib/failure.js: chaos only when isEnabled === true, and then Math.random() < rate: no rate never fires,
        // a rate above 1 always does.
        var enabled = reader.Bool(root, Root, "isEnabled", false);
        var rate = Clamped(reader.Number(root, Root, "rate", double.MinValue, double.MaxValue, 0));
        var mode = reader.String(root, Root, "failureMode", null, 32, required: enabled == true);
        if (enabled != true)
        {
            return Finish(root, reader, false, [], SettingsLayout.FailureLambda0x);
        }

        FaultSettings? fault = null;
        switch (mode)
        {
            case "latency":
                // floor(minLatency + random * (maxLatency - minLatency)); without both it computes NaN: no delay.
                var min = NonNegative(root, Root, "minLatency", reader);
                var max = NonNegative(root, Root, "maxLatency", reader);
                var (low, high) = min is null || max is null ? (0, 0) : (Milliseconds(Math.Min(min.Value, max.Value)), Milliseconds(Math.Max(min.Value, max.Value)));
                fault = new LatencyFaultSettings(rate, [], low, high, allowPastDeadline: true);
                break;
            case "exception":
                // throw new Error(config.exceptionMsg): without one the message is empty.
                var message = reader.String(root, Root, "exceptionMsg", "", 4096);
                fault = new ExceptionFaultSettings(rate, [], ExceptionFaultSettings.DefaultExceptionType, message ?? "");
                break;
            case "statuscode":
                // return { statusCode: config.statusCode }: no body, no headers, the handler does not run.
                var statusCode = reader.Integer(root, Root, "statusCode", 100, 599, null, required: true);
                fault = new StatusCodeFaultSettings(rate, [], statusCode ?? 0, "", new Dictionary<string, string>(), runHandler: false);
                break;
            case "diskspace":
                // dd count=1000 bs=diskSpace*1000: diskSpace x 1 000 000 bytes, written as whole MiB.
                // More than /tmp holds fills it, as dd does.
                var megabytes = Positive(root, Root, "diskSpace", double.MaxValue, reader, required: true);
                var mebibytes = Math.Clamp(Math.Round((megabytes ?? 0) * 1_000_000 / 1_048_576), 1, DiskSpaceFaultSettings.MaxMegabytes);
                fault = new DiskSpaceFaultSettings(rate, [], (int)mebibytes);
                break;
            case "denylist":
            case "blacklist":
                // config.denylist.forEach(...): each entry a regular expression tested against the host.
                var hosts = HostRegexes(root, Root, mode, reader, required: true);
                fault = hosts.Count == 0 ? null : Denylist(rate, [], hosts);
                break;
            case null:
                break;
            default:
                reader.Error($"{Root}.failureMode", $"must be one of latency, exception, statuscode, diskspace, denylist (was \"{mode}\")");
                break;
        }

        return Finish(root, reader, true, fault is null ? [] : [fault], SettingsLayout.FailureLambda0x);
    }

    public static ChaosSettings? ReadChaosLambda(JsonElement root, FieldReader reader)
    {
        // get_config: value["is_enabled"]; when false the rest of the document is never looked at.
        var enabledField = root.TryGetProperty("is_enabled", out _) || !root.TryGetProperty("isEnabled", out _) ? "is_enabled" : "isEnabled";
        var enabled = reader.Bool(root, Root, enabledField, null, required: true);
        if (enabled != true)
        {
            return Finish(root, reader, false, [], SettingsLayout.ChaosLambda03);
        }

        // round(random(), 5) <= rate: a rate above 1 always fires. The documented default is 1.
        var rate = Clamped(reader.Number(root, Root, "rate", double.MinValue, double.MaxValue, 1));
        var faultType = reader.String(root, Root, "fault_type", null, 32, required: true);
        FaultSettings? fault = null;
        switch (faultType)
        {
            case "latency":
                // isinstance(delay, int), then time.sleep(delay / 1000) when delay > 0.
                var delay = Milliseconds(PythonInt(root, "delay", 0, int.MaxValue, reader) ?? 0);
                fault = new LatencyFaultSettings(rate, [], delay, delay, allowPastDeadline: true);
                break;
            case "exception":
                var message = reader.String(root, Root, "exception_msg", null, 4096, required: true);
                fault = new ExceptionFaultSettings(rate, [], ExceptionFaultSettings.DefaultExceptionType, message ?? "");
                break;
            case "status_code":
                // The handler runs, then result['statusCode'] = error_code; its body and headers are kept.
                var errorCode = PythonInt(root, "error_code", 100, 599, reader);
                fault = new StatusCodeFaultSettings(rate, [], errorCode ?? 0, null, new Dictionary<string, string>(), runHandler: true);
                break;
            case null:
                break;
            default:
                reader.Error($"{Root}.fault_type", $"must be one of latency, exception, status_code (was \"{faultType}\")");
                break;
        }

        return Finish(root, reader, true, fault is null ? [] : [fault], SettingsLayout.ChaosLambda03);
    }

    /// <summary>A number of at least 0 (failure-lambda: "must be a non-negative number"); null when absent.</summary>
    private static double? NonNegative(JsonElement obj, string path, string name, FieldReader reader)
    {
        if (!reader.TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number) || number < 0)
        {
            reader.Error($"{path}.{name}", $"must be a non-negative number (was {FieldReader.Describe(value)})");
            return null;
        }

        return number;
    }

    /// <summary>A number above 0 and at most <paramref name="max"/>; null when absent (an error when <paramref name="required"/>).</summary>
    private static double? Positive(JsonElement obj, string path, string name, double max, FieldReader reader, bool required = false)
    {
        var number = reader.Number(obj, path, name, 0, max, null, required);
        if (number is 0)
        {
            reader.Error($"{path}.{name}", "must be above 0 (megabytes)");
            return null;
        }

        return number;
    }

    /// <summary>Whole milliseconds, at most Lambda's 15 minutes (a longer wait ends the same way: the invocation times out).</summary>
    private static int Milliseconds(double value) => (int)Math.Floor(Math.Min(value, LatencyFaultSettings.MaxDelayMs));

    private static double Clamped(double? rate) => rate is null ? 0 : Math.Clamp(rate.Value, 0, 1);

    /// <summary>A Python <c>int</c>: a JSON number written without a fraction or exponent (400.0 is a float there).</summary>
    private static int? PythonInt(JsonElement root, string name, int min, int max, FieldReader reader)
    {
        if (reader.TryGet(root, name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0)
        {
            reader.Error($"{Root}.{name}", $"must be a whole number written without a fraction, as chaos_lambda requires an int (was {value.GetRawText()})");
            return null;
        }

        return reader.Integer(root, Root, name, min, max, null, required: true);
    }

    private static List<HostPattern> HostRegexes(JsonElement obj, string path, string name, FieldReader reader, bool required = false)
    {
        var hosts = new List<HostPattern>();
        if (!reader.TryGet(obj, name, out var list))
        {
            if (required)
            {
                reader.Error($"{path}.{name}", "is required (an array of host regular expressions)");
            }

            return hosts;
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            reader.Error($"{path}.{name}", $"must be an array of host regular expressions (was {FieldReader.Describe(list)})");
            return hosts;
        }

        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            var field = $"{path}.{name}[{index++}]";
            if (item.ValueKind != JsonValueKind.String)
            {
                reader.Error(field, $"must be a string (was {FieldReader.Describe(item)})");
                continue;
            }

            var regex = SettingsParser.TryCreateRegex(item.GetString()!, field, reader);
            if (regex is not null)
            {
                hosts.Add(HostPattern.FromRegex(item.GetString()!, regex));
            }
        }

        return hosts;
    }

    // failure-lambda makes the lookup of a denied host fail; the closest dependency fault is a failed connection.
    private static DependencyFaultSettings Denylist(double rate, IReadOnlyList<EventMatch> match, List<HostPattern> hosts) =>
        new(rate, match, hosts, DependencyFaultKind.Connection, 0, 0, 0, "", "Connection refused (injected by ServerlessChaos denylist)");

    private static ChaosSettings? Finish(JsonElement root, FieldReader reader, bool enabled, IReadOnlyList<FaultSettings> faults, SettingsLayout layout)
    {
        var expiresAt = reader.Timestamp(root, Root, "expiresAt");
        var experimentId = reader.String(root, Root, "experimentId", null, 256);
        SettingsParser.ApplyDocumentDryRun(root, faults, reader);
        return reader.HasErrors ? null : new ChaosSettings(ChaosSettings.CurrentVersion, enabled, expiresAt, experimentId, faults, layout);
    }
}
