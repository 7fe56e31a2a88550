namespace ServerlessChaos.Aws.Configuration;

/// <summary>
/// The shared AWS files: <c>~/.aws/credentials</c> (sections <c>[name]</c>) and <c>~/.aws/config</c>
/// (sections <c>[default]</c> and <c>[profile name]</c>), with <c>AWS_SHARED_CREDENTIALS_FILE</c>
/// and <c>AWS_CONFIG_FILE</c> overriding the locations. A setting in the credentials file wins.
/// </summary>
public sealed class SharedConfigFiles
{
    private readonly Dictionary<string, Dictionary<string, string>> _credentials;
    private readonly Dictionary<string, Dictionary<string, string>> _config;

    private SharedConfigFiles(Dictionary<string, Dictionary<string, string>> credentials, Dictionary<string, Dictionary<string, string>> config)
    {
        _credentials = credentials;
        _config = config;
    }

    /// <summary>The profile in use: <c>AWS_PROFILE</c>, else <c>default</c>.</summary>
    public static string ActiveProfileName(IAwsEnvironment environment) => environment.GetVariable("AWS_PROFILE") ?? "default";

    /// <summary>Reads both files (a missing file is simply empty).</summary>
    public static SharedConfigFiles Load(IAwsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var home = environment.HomeDirectory;
        var credentialsPath = environment.GetVariable("AWS_SHARED_CREDENTIALS_FILE")
            ?? (home is null ? null : Path.Combine(home, ".aws", "credentials"));
        var configPath = environment.GetVariable("AWS_CONFIG_FILE")
            ?? (home is null ? null : Path.Combine(home, ".aws", "config"));
        var credentials = Parse(credentialsPath is null ? null : environment.ReadFileIfExists(ExpandHome(credentialsPath, home)), isConfigFile: false);
        var config = Parse(configPath is null ? null : environment.ReadFileIfExists(ExpandHome(configPath, home)), isConfigFile: true);
        return new SharedConfigFiles(credentials, config);
    }

    /// <summary>True when either file has a section for the profile.</summary>
    public bool HasProfile(string profile) => _credentials.ContainsKey(profile) || _config.ContainsKey(profile);

    /// <summary>A setting of a profile (credentials file first, then config file), or null.</summary>
    public string? GetProfileSetting(string profile, string key)
    {
        if (_credentials.TryGetValue(profile, out var fromCredentials) && fromCredentials.TryGetValue(key, out var value))
        {
            return value;
        }

        return _config.TryGetValue(profile, out var fromConfig) && fromConfig.TryGetValue(key, out value) ? value : null;
    }

    private static string ExpandHome(string path, string? home) =>
        home is not null && path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;

    // INI as the AWS CLI reads it: [section], key = value, # and ; comments; nested (indented) values are skipped.
    private static Dictionary<string, Dictionary<string, string>> Parse(string? text, bool isConfigFile)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (text is null)
        {
            return sections;
        }

        Dictionary<string, string>? current = null;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#' || trimmed[0] == ';')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                var end = trimmed.IndexOf(']', StringComparison.Ordinal);
                var name = (end > 0 ? trimmed[1..end] : trimmed[1..]).Trim();
                if (isConfigFile && name.StartsWith("profile ", StringComparison.Ordinal))
                {
                    name = name["profile ".Length..].Trim();
                }
                else if (isConfigFile && name != "default")
                {
                    // [sso-session x], [services x] and the like are not profiles.
                    current = null;
                    continue;
                }

                if (!sections.TryGetValue(name, out current))
                {
                    current = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    sections[name] = current;
                }

                continue;
            }

            if (current is null || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = trimmed[..equals].Trim();
            var value = StripInlineComment(trimmed[(equals + 1)..].Trim());
            current[key] = value;
        }

        return sections;
    }

    private static string StripInlineComment(string value)
    {
        // Only " #" / " ;" start an inline comment; a secret key may contain '#' or ';' elsewhere.
        for (var i = 1; i < value.Length; i++)
        {
            if ((value[i] == '#' || value[i] == ';') && char.IsWhiteSpace(value[i - 1]))
            {
                return value[..i].TrimEnd();
            }
        }

        return value;
    }
}
