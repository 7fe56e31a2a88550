using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using static ServerlessChaos.Cli.GameDay.Plan.PlanFile;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>
/// The <c>target</c> section of a game-day file: your own service instead of the bundled sample API. Either a base
/// <c>url</c> of a service you run yourself (started with the environment variables the game day prints), or a
/// <c>command</c> the game day starts with those variables and stops at the end; the settings <c>parameters</c> its
/// wrapper reads; and the port the local SSM endpoint listens on.
/// </summary>
/// <example><code>
/// "target": {
///   "url": "http://127.0.0.1:8080/",
///   "command": { "file": "dotnet", "args": ["run", "--project", "src/MyApi"], "env": { "ASPNETCORE_URLS": "http://127.0.0.1:8080" }, "readinessPath": "/health" },
///   "parameters": ["/serverless-chaos/functions/my-api"],
///   "ssmPort": 4590
/// }
/// </code></example>
internal sealed class TargetSpec
{
    /// <summary>The SSM endpoint's port when the target names none: fixed, so a service you start yourself can be given it before the game day runs.</summary>
    public const int DefaultSsmPort = 4590;

    /// <summary>How long a started command has to answer its readiness path when the target says nothing: 60 s.</summary>
    public static readonly TimeSpan DefaultReadinessTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The fields of the section.</summary>
    public static readonly IReadOnlyList<string> Fields = ["url", "command", "parameters", "ssmPort"];

    private static readonly string[] CommandFields = ["file", "args", "env", "workingDirectory", "readinessPath", "readinessTimeoutSeconds"];

    /// <summary>The service's base address (load and <c>${SampleApiUrl}</c> in probes go there).</summary>
    public required Uri Url { get; init; }

    /// <summary>The command that starts the service, or null when you run it yourself.</summary>
    public TargetCommand? Command { get; init; }

    /// <summary>The settings parameters the service's wrapper reads (<c>SERVERLESS_CHAOS_PARAMETER</c>); wrapper faults must aim at one of them.</summary>
    public required IReadOnlyList<string> Parameters { get; init; }

    /// <summary>The port of the local SSM endpoint on 127.0.0.1. Defaults to <see cref="DefaultSsmPort"/>; 0 lets the system choose (only for a started command).</summary>
    public int SsmPort { get; init; } = DefaultSsmPort;

    /// <summary>Parses the section; <paramref name="source"/> names the file in errors, <paramref name="folder"/> is where a relative working directory starts.</summary>
    /// <exception cref="CliException">Every problem, one per line, each naming its field.</exception>
    public static TargetSpec Parse(JsonObject section, string source, string folder, bool allowRemote = false)
    {
        ArgumentNullException.ThrowIfNull(section);
        var errors = new List<string>();
        Unknown(section, "target.", Fields, errors);

        Uri? url = null;
        if (Text(section, "url", "target.", errors, required: true) is { } urlText)
        {
            if (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || url.Scheme is not ("http" or "https"))
            {
                errors.Add($"target.url must be an http(s) URL (was \"{urlText}\")");
                url = null;
            }
            else if (!allowRemote && !LocalRunRules.IsLoopback(urlText))
            {
                errors.Add($"target.url {urlText} is not on 127.0.0.1 or localhost: a local game day sends traffic only to this machine (pass --allow-remote-targets to send it there anyway)");
            }
            else if (!urlText.EndsWith('/'))
            {
                url = new Uri(urlText + "/");
            }
        }

        var parameters = new List<string>();
        if (section["parameters"] is not JsonArray list || list.Count == 0)
        {
            errors.Add("target.parameters is required: the settings parameters your service's wrapper reads (SERVERLESS_CHAOS_PARAMETER), e.g. [\"/serverless-chaos/functions/my-api\"]");
        }
        else
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is JsonValue v && v.TryGetValue<string>(out var name) && name.StartsWith('/') && name.Length > 1)
                {
                    parameters.Add(name);
                }
                else
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"target.parameters[{i}] must be a parameter name starting with '/' (was {list[i]?.ToJsonString() ?? "null"})"));
                }
            }
        }

        var command = section["command"] is null ? null : ParseCommand(section["command"], folder, errors);
        var port = DefaultSsmPort;
        if (section["ssmPort"] is { } portNode)
        {
            if (portNode is JsonValue pv && pv.TryGetValue<int>(out var p) && p is >= 0 and <= 65535)
            {
                port = p;
                if (p == 0 && command is null)
                {
                    errors.Add("target.ssmPort is 0 (any free port), but a service you start yourself must be given the port before the game day runs: name a port, or give target.command");
                }
            }
            else
            {
                errors.Add($"target.ssmPort must be a port number between 0 and 65535 (was {portNode.ToJsonString()})");
            }
        }

        if (errors.Count > 0)
        {
            throw new CliException($"{source}: the target section has problems:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}");
        }

        return new TargetSpec { Url = url!, Command = command, Parameters = parameters, SsmPort = port };
    }

    /// <summary>
    /// The environment variables the service needs to read the armed settings from this game day: the local SSM
    /// endpoint, a region, dummy credentials (the endpoint accepts any SigV4 signature), its settings parameter, and the
    /// game day's settings TTL (<see cref="GameDayOptions.SettingsTtl"/>, one second) both idle and armed, so an arm and a
    /// rollback reach the service within a second (the wrapper's defaults re-read every 60 s while disarmed and every
    /// 5 s while armed).
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> ServiceEnvironment(Uri ssmEndpoint) => ServiceEnvironment(ssmEndpoint, Parameters[0]);

    /// <summary>The environment variables a service reading <paramref name="parameter"/> from this game day's SSM endpoint needs (see the instance method).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ServiceEnvironment(Uri ssmEndpoint, string parameter)
    {
        ArgumentNullException.ThrowIfNull(ssmEndpoint);
        var ttl = string.Create(CultureInfo.InvariantCulture, $"{GameDayOptions.SettingsTtl.TotalSeconds:0.###}s");
        return
        [
            new(Wrapper.Sources.Ssm.SsmParametersReader.EndpointVariable, ssmEndpoint.AbsoluteUri.TrimEnd('/')),
            new("AWS_REGION", "us-east-1"),
            new("AWS_ACCESS_KEY_ID", "local"),
            new("AWS_SECRET_ACCESS_KEY", "local"),
            new(ChaosConventions.ParameterVariable, parameter),
            new(Wrapper.EnvironmentControls.IdleTtlVariable, ttl),
            new(Wrapper.EnvironmentControls.ArmedTtlVariable, ttl),
        ];
    }

    private static TargetCommand? ParseCommand(JsonNode? node, string folder, List<string> errors)
    {
        if (node is not JsonObject command)
        {
            errors.Add("target.command must be an object with file (and args, env, workingDirectory, readinessPath, readinessTimeoutSeconds)");
            return null;
        }

        Unknown(command, "target.command.", CommandFields, errors);
        var file = Text(command, "file", "target.command.", errors, required: true);
        var args = new List<string>();
        if (command["args"] is { } argsNode)
        {
            if (argsNode is JsonArray array && array.All(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String))
            {
                args.AddRange(array.Select(a => a!.GetValue<string>()));
            }
            else
            {
                errors.Add("target.command.args must be a list of strings");
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (command["env"] is { } envNode)
        {
            if (envNode is JsonObject o)
            {
                foreach (var (name, value) in o)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        env[name] = text;
                    }
                    else
                    {
                        errors.Add($"target.command.env.{name} must be a string");
                    }
                }
            }
            else
            {
                errors.Add("target.command.env must be an object of variable names to string values");
            }
        }

        var workingDirectory = Text(command, "workingDirectory", "target.command.", errors, required: false) is { } dir
            ? Path.GetFullPath(Path.Combine(folder, dir))
            : folder;
        if (!Directory.Exists(workingDirectory))
        {
            errors.Add($"target.command.workingDirectory {workingDirectory} does not exist");
        }

        var readiness = Text(command, "readinessPath", "target.command.", errors, required: false) ?? "/";
        if (!readiness.StartsWith('/'))
        {
            errors.Add($"target.command.readinessPath must be a path starting with '/' (was {readiness})");
        }

        var timeout = DefaultReadinessTimeout;
        if (command["readinessTimeoutSeconds"] is { } timeoutNode)
        {
            if (timeoutNode is JsonValue tv && tv.TryGetValue<double>(out var seconds) && seconds is >= 1 and <= 600)
            {
                timeout = TimeSpan.FromSeconds(seconds);
            }
            else
            {
                errors.Add($"target.command.readinessTimeoutSeconds must be a number of seconds between 1 and 600 (was {timeoutNode.ToJsonString()})");
            }
        }

        return file is null ? null : new TargetCommand(file, args, env, workingDirectory, readiness, timeout);
    }
}

/// <summary>How the game day starts your service.</summary>
/// <param name="File">The program.</param>
/// <param name="Args">Its arguments.</param>
/// <param name="Environment">Variables added to the game day's own (the SSM ones are added after these).</param>
/// <param name="WorkingDirectory">Where it runs (relative paths start from the game-day file's folder).</param>
/// <param name="ReadinessPath">The path that answers 2xx once the service serves.</param>
/// <param name="ReadinessTimeout">How long it may take to get there.</param>
internal sealed record TargetCommand(string File, IReadOnlyList<string> Args, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory, string ReadinessPath, TimeSpan ReadinessTimeout);
