using ServerlessChaos.Wrapper.Settings;
using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Sources.AppConfig;
using ServerlessChaos.Wrapper.Sources.Ssm;

namespace ServerlessChaos.Wrapper;

/// <summary>Building a wrapper from the function's environment variables.</summary>
public sealed partial class ChaosWrapper
{
    /// <summary>Opt-in: the function's settings parameter name.</summary>
    public const string ParameterVariable = ChaosConventions.ParameterVariable;

    /// <summary>The global halt parameter name (default <c>/serverless-chaos/halt</c>).</summary>
    public const string HaltParameterVariable = ChaosConventions.HaltParameterVariable;

    /// <summary>How the parameter is read: <c>ssm</c> (default) or <c>extension</c> (the Parameters and Secrets extension).</summary>
    public const string SourceVariable = "SERVERLESS_CHAOS_SOURCE";

    /// <summary>With <c>SERVERLESS_CHAOS_SOURCE=appconfig</c>: the AppConfig application, environment and configuration profile.</summary>
    public const string AppConfigApplicationVariable = "SERVERLESS_CHAOS_APPCONFIG_APPLICATION";

    /// <summary>The AppConfig environment (with <c>SERVERLESS_CHAOS_SOURCE=appconfig</c>).</summary>
    public const string AppConfigEnvironmentVariable = "SERVERLESS_CHAOS_APPCONFIG_ENVIRONMENT";

    /// <summary>The AppConfig configuration profile (with <c>SERVERLESS_CHAOS_SOURCE=appconfig</c>).</summary>
    public const string AppConfigProfileVariable = "SERVERLESS_CHAOS_APPCONFIG_PROFILE";

    private static readonly HttpClient AgentClient = new(new SocketsHttpHandler { UseProxy = false });

    /// <summary>A settings file to read instead of SSM (local runs).</summary>
    public const string SettingsFileVariable = "SERVERLESS_CHAOS_SETTINGS_FILE";

    /// <summary>Prefix of function settings parameters: the parameter is this prefix plus the function name.</summary>
    public const string FunctionParameterPrefix = ChaosConventions.ParameterPrefix;

    /// <summary>The function's name, set by Lambda: the telemetry's function name when the context has none.</summary>
    internal const string FunctionNameVariable = "AWS_LAMBDA_FUNCTION_NAME";

    /// <summary>The Parameters and Secrets extension's port, when not the default 2773.</summary>
    internal const string ExtensionPortVariable = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";

    private static readonly object SharedLock = new();
    private static ChaosWrapper? _shared;

    /// <summary>
    /// The process-wide wrapper: the one <c>[ChaosInjection]</c> handlers use. Built by <see cref="FromEnvironment"/> on
    /// first use; set it once at start-up (before the first invocation) to use your own options or source.
    /// </summary>
    public static ChaosWrapper Shared
    {
        get => Volatile.Read(ref _shared) ?? InitializeShared();
        set => Volatile.Write(ref _shared, value ?? throw new ArgumentNullException(nameof(value)));
    }

    private static ChaosWrapper InitializeShared()
    {
        lock (SharedLock)
        {
            return _shared ??= FromEnvironment();
        }
    }

    /// <summary>
    /// Builds a wrapper from the environment. Nothing is ever injected unless the function opted in by naming its
    /// parameter in <c>SERVERLESS_CHAOS_PARAMETER</c> (or a file in <c>SERVERLESS_CHAOS_SETTINGS_FILE</c>, or inline
    /// settings in <c>SERVERLESS_CHAOS_SETTINGS</c>). A broken environment (no region, say) means no chaos and one log line.
    /// </summary>
    /// <param name="options">Clock, randomness, TTLs and the rest; defaults to <see cref="ChaosOptions"/>' defaults.</param>
    /// <param name="environment">Reads a variable (the SSM reader's region, credentials and endpoint too); defaults to
    /// the process environment. A host with its own environment reader passes it here.</param>
    public static ChaosWrapper FromEnvironment(ChaosOptions? options = null, Func<string, string?>? environment = null)
    {
        // A copy: the environment's TTL overrides go into the wrapper's options, never into the caller's object.
        options = options?.Copy() ?? new ChaosOptions();
        environment ??= ProcessVariable;
        var telemetry = new Telemetry.ChaosTelemetry(options.LogWriter, options.TimeProvider);
        EnvironmentControls.Apply(options, environment, telemetry);
        if (EnvironmentControls.IsDisabled(environment, telemetry))
        {
            // Switched off without a code deploy: no source, so no reads and no faults.
            return new ChaosWrapper(null, options, environment);
        }

        IChaosSettingsSource? source = null;
        try
        {
            source = SourceFromEnvironment(options, environment);
        }
        catch (Exception ex)
        {
            telemetry.Problem("The chaos wrapper could not be set up from the environment; no faults are injected", "environment", null, ex);
        }

        return new ChaosWrapper(source, options, environment);
    }

    /// <summary>
    /// The process environment: the one place the wrapper reads it, and only where no reader was given
    /// (<see cref="FromEnvironment"/>'s <c>environment</c> replaces it everywhere).
    /// </summary>
    internal static string? ProcessVariable(string name) => Environment.GetEnvironmentVariable(name);

    private static IChaosSettingsSource? SourceFromEnvironment(ChaosOptions options, Func<string, string?> environment)
    {
        var parameter = environment(ParameterVariable);
        var halt = environment(HaltParameterVariable) is { Length: > 0 } configured ? configured : HaltValue.DefaultParameterName;
        var chosen = environment(SourceVariable)?.Trim();
        if (!string.IsNullOrEmpty(chosen) && chosen.ToLowerInvariant() is not ("ssm" or "extension" or "appconfig"))
        {
            throw new ArgumentException($"{SourceVariable} must be ssm, extension or appconfig (was \"{chosen}\")");
        }

        if (string.Equals(chosen, "appconfig", StringComparison.OrdinalIgnoreCase))
        {
            return AppConfigFromEnvironment(options, environment, halt);
        }
        if (!string.IsNullOrWhiteSpace(parameter))
        {
            if (string.Equals(environment(SourceVariable), "extension", StringComparison.OrdinalIgnoreCase))
            {
                return new ExtensionSettingsSource(
                    parameter, halt, LocalPort(environment, ExtensionPortVariable, ExtensionSettingsSource.DefaultEndpoint.Port), environment("AWS_SESSION_TOKEN") ?? "");
            }

            return new SsmSettingsSource(SsmParametersReader.FromEnvironment(environment, options.TimeProvider), parameter, halt);
        }

        if (environment(SettingsFileVariable) is { Length: > 0 } file)
        {
            return new FileSettingsSource(file);
        }

        return environment(EnvironmentSettingsSource.DefaultVariable) is { Length: > 0 }
            ? new EnvironmentSettingsSource(read: environment)
            : null;
    }

    private static AppConfigSettingsSource AppConfigFromEnvironment(ChaosOptions options, Func<string, string?> environment, string halt)
    {
        string Required(string name) => environment(name) is { Length: > 0 } value
            ? value
            : throw new ArgumentException($"{name} is required with {SourceVariable}=appconfig (the AppConfig application, environment and configuration profile)");

        var application = Required(AppConfigApplicationVariable);
        var appEnvironment = Required(AppConfigEnvironmentVariable);
        var profile = Required(AppConfigProfileVariable);
        var agent = LocalPort(environment, "AWS_APPCONFIG_EXTENSION_HTTP_PORT", AppConfigSettingsSource.DefaultPort);

        // The halt parameter stays in SSM, so one switch stops every function whatever its source; without a region
        // (a local run) there is no halt to read.
        Func<CancellationToken, Task<string?>>? readHalt = null;
        if (!string.IsNullOrEmpty(environment("AWS_REGION") ?? environment("AWS_DEFAULT_REGION")))
        {
            var reader = SsmParametersReader.FromEnvironment(environment, options.TimeProvider);
            readHalt = async token => (await reader.GetParametersAsync([halt], token).ConfigureAwait(false)).Found.FirstOrDefault()?.Value;
        }

        return new AppConfigSettingsSource(application, appEnvironment, profile, agent, AgentClient, readHalt);
    }

    /// <summary>A Lambda extension's address on localhost, its port from <paramref name="variable"/> when set.</summary>
    private static Uri LocalPort(Func<string, string?> environment, string variable, int defaultPort)
    {
        var text = environment(variable)?.Trim();
        var port = defaultPort;
        if (!string.IsNullOrEmpty(text) && (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new ArgumentException($"{variable} must be a port number 1-65535 (was \"{text}\")");
        }

        return new Uri($"http://localhost:{port}");
    }
}
