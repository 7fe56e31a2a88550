using System.Text.Json;
using ServerlessChaos.Wrapper.Faults;

namespace ServerlessChaos.Wrapper.Settings.Parsing;

/// <summary>
/// Reads the layouts of the tools teams move from, giving each field the meaning it had there:
/// failure-lambda 1.x (one flag per mode), failure-lambda 0.x (<c>isEnabled</c> + <c>failureMode</c>) and
/// chaos_lambda 0.3 (<c>is_enabled</c> + <c>fault_type</c>). All may add <c>expiresAt</c> and <c>experimentId</c>.
/// </summary>
internal static class LegacyLayouts
{
    private const string Root = "settings";

    // failure-lambda's documented sample values, used where its layout leaves a field out.
    private const int DefaultMinLatency = 100;
    private const int DefaultMaxLatency = 400;
    private const int DefaultStatusCode = 404;
    private const int DefaultDiskSpace = 100;

    public static readonly string[] FailureLambdaModes = ["latency", "exception", "statuscode", "diskspace", "denylist", "timeout", "corruption"];

    public static ChaosSettings? ReadFailureLambdaV1(JsonElement root, FieldReader reader)
    {
        var faults = new List<FaultSettings>();
        foreach (var mode in FailureLambdaModes)
        {
            if (!reader.TryGet(root, mode, out var flag))
            {
                continue;
            }

            var path = $"{Root}.{mode}";
            if (flag.ValueKind != JsonValueKind.Object)
            {
                reader.Error(path, $"must be an object such as {{\"enabled\": true}} (was {FieldReader.Describe(flag)})");
                continue;
            }

            var enabled = reader.Bool(flag, path, "enabled", null, required: true);
            if (enabled != true)
            {
                continue;
            }

            double? rate;
            if (reader.TryGet(flag, "percentage", out _))
            {
                rate = reader.Integer(flag, path, "percentage", 0, 100, 100) / 100.0;
            }
            else
            {
                rate = reader.Number(flag, path, "rate", 0, 1, 1);
            }

            var match = SettingsParser.ReadMatch(flag, path, "match", "operator", reader);
            var fault = ReadMode(mode, flag, path, rate ?? 0, match, reader);
            if (fault is not null)
            {
                faults.Add(fault);
            }
        }

        return Finish(root, reader, faults.Count > 0, faults, SettingsLayout.FailureLambdaV1);
    }

    public static ChaosSettings? ReadFailureLambda0x(JsonElement root, FieldReader reader)
    {
        var enabled = reader.Bool(root, Root, "isEnabled", null, required: true);
        var rate = reader.Number(root, Root, "rate", 0, 1, 1);
        var mode = reader.String(root, Root, "failureMode", null, 32, required: enabled == true);
        FaultSettings? fault = null;
        switch (mode)
        {
            case "latency":
                fault = Latency(root, Root, "minLatency", "maxLatency", rate ?? 0, [], reader);
                break;
            case "exception":
                var message = reader.String(root, Root, "exceptionMsg", ExceptionFaultSettings.DefaultMessage, 4096);
                fault = new ExceptionFaultSettings(rate ?? 0, [], ExceptionFaultSettings.DefaultExceptionType, message ?? "");
                break;
            case "statuscode":
                var statusCode = reader.Integer(root, Root, "statusCode", 100, 599, DefaultStatusCode);
                fault = new StatusCodeFaultSettings(rate ?? 0, [], statusCode ?? 0, null, new Dictionary<string, string>(), runHandler: false);
                break;
            case "diskspace":
                var megabytes = reader.Integer(root, Root, "diskSpace", 1, DiskSpaceFaultSettings.MaxMegabytes, DefaultDiskSpace);
                fault = new DiskSpaceFaultSettings(rate ?? 0, [], megabytes ?? 0);
                break;
            case "denylist":
            case "blacklist":
                fault = Denylist(root, Root, mode == "denylist" ? "denylist" : "blacklist", rate ?? 0, [], reader);
                break;
            case null:
                break;
            default:
                reader.Error($"{Root}.failureMode", $"must be one of latency, exception, statuscode, diskspace, denylist (was \"{mode}\")");
                break;
        }

        return Finish(root, reader, enabled == true, fault is null ? [] : [fault], SettingsLayout.FailureLambda0x);
    }

    public static ChaosSettings? ReadChaosLambda(JsonElement root, FieldReader reader)
    {
        var enabledField = root.TryGetProperty("is_enabled", out _) || !root.TryGetProperty("isEnabled", out _) ? "is_enabled" : "isEnabled";
        var enabled = reader.Bool(root, Root, enabledField, null, required: true);
        var rate = reader.Number(root, Root, "rate", 0, 1, 1);
        var faultType = reader.String(root, Root, "fault_type", null, 32, required: enabled == true);
        if (enabled != true)
        {
            // A switched-off document is the baseline whatever else it holds (chaos_lambda ignores the rest too).
            return Finish(root, reader, false, [], SettingsLayout.ChaosLambda03);
        }

        FaultSettings? fault = null;
        switch (faultType)
        {
            case "latency":
                var delay = reader.Integer(root, Root, "delay", 0, LatencyFaultSettings.MaxDelayMs, null, required: true);
                fault = new LatencyFaultSettings(rate ?? 0, [], delay ?? 0, delay ?? 0, allowPastDeadline: false);
                break;
            case "exception":
                var message = reader.String(root, Root, "exception_msg", ExceptionFaultSettings.DefaultMessage, 4096, required: true);
                fault = new ExceptionFaultSettings(rate ?? 0, [], ExceptionFaultSettings.DefaultExceptionType, message ?? "");
                break;
            case "status_code":
                // chaos_lambda runs the handler, then overwrites statusCode and keeps the handler's body.
                var errorCode = reader.Integer(root, Root, "error_code", 100, 599, null, required: true);
                fault = new StatusCodeFaultSettings(rate ?? 0, [], errorCode ?? 0, null, new Dictionary<string, string>(), runHandler: true);
                break;
            case null:
                break;
            default:
                reader.Error($"{Root}.fault_type", $"must be one of latency, exception, status_code (was \"{faultType}\")");
                break;
        }

        return Finish(root, reader, enabled == true, fault is null ? [] : [fault], SettingsLayout.ChaosLambda03);
    }

    private static FaultSettings? ReadMode(string mode, JsonElement flag, string path, double rate, IReadOnlyList<EventMatch> match, FieldReader reader)
    {
        switch (mode)
        {
            case "latency":
                return Latency(flag, path, "min_latency", "max_latency", rate, match, reader);
            case "exception":
                var message = reader.String(flag, path, "exception_msg", ExceptionFaultSettings.DefaultMessage, 4096);
                return new ExceptionFaultSettings(rate, match, ExceptionFaultSettings.DefaultExceptionType, message ?? "");
            case "statuscode":
                var statusCode = reader.Integer(flag, path, "status_code", 100, 599, DefaultStatusCode);
                return new StatusCodeFaultSettings(rate, match, statusCode ?? 0, null, new Dictionary<string, string>(), runHandler: false);
            case "diskspace":
                var megabytes = reader.Integer(flag, path, "disk_space", 1, DiskSpaceFaultSettings.MaxMegabytes, DefaultDiskSpace);
                return new DiskSpaceFaultSettings(rate, match, megabytes ?? 0);
            case "denylist":
                return Denylist(flag, path, "deny_list", rate, match, reader);
            case "timeout":
                var buffer = reader.Integer(flag, path, "timeout_buffer_ms", 0, 60_000, 0);
                return new TimeoutFaultSettings(rate, match, buffer ?? 0);
            default:
                reader.Error($"{path}.enabled", "cannot be true: ServerlessChaos has no corruption mode (use a statusCode fault with runHandler and a body instead)");
                return null;
        }
    }

    private static LatencyFaultSettings Latency(JsonElement obj, string path, string minName, string maxName, double rate, IReadOnlyList<EventMatch> match, FieldReader reader)
    {
        const int max = LatencyFaultSettings.MaxDelayMs;
        var min = reader.Integer(obj, path, minName, 0, max, DefaultMinLatency) ?? 0;
        var maxMs = reader.Integer(obj, path, maxName, 0, max, Math.Max(min, DefaultMaxLatency)) ?? 0;
        if (maxMs < min)
        {
            reader.Error($"{path}.{maxName}", $"must be at least {minName} (was {maxMs} < {min})");
        }

        return new LatencyFaultSettings(rate, match, min, maxMs, allowPastDeadline: false);
    }

    private static DependencyFaultSettings? Denylist(JsonElement obj, string path, string name, double rate, IReadOnlyList<EventMatch> match, FieldReader reader)
    {
        if (!reader.TryGet(obj, name, out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            reader.Error($"{path}.{name}", $"must be a non-empty array of host regular expressions (was {FieldReader.Describe(list)})");
            return null;
        }

        var hosts = new List<HostPattern>();
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

        // failure-lambda blocks the connection: the closest dependency fault is a refused connection.
        return new DependencyFaultSettings(rate, match, hosts, DependencyFaultKind.Connection, 0, 0, 0, "", "Connection refused (injected by ServerlessChaos denylist)");
    }

    private static ChaosSettings? Finish(JsonElement root, FieldReader reader, bool enabled, IReadOnlyList<FaultSettings> faults, SettingsLayout layout)
    {
        var expiresAt = reader.Timestamp(root, Root, "expiresAt");
        var experimentId = reader.String(root, Root, "experimentId", null, 256);
        return reader.HasErrors ? null : new ChaosSettings(ChaosSettings.CurrentVersion, enabled, expiresAt, experimentId, faults, layout);
    }
}
