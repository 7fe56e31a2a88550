namespace ServerlessChaos.Aws.Configuration;

/// <summary>
/// Where AWS settings come from: environment variables, the home directory and files. Injected so
/// tests use a fake environment and temporary files instead of the real process and home.
/// </summary>
public interface IAwsEnvironment
{
    /// <summary>The value of an environment variable, or null when unset or empty.</summary>
    string? GetVariable(string name);

    /// <summary>The user's home directory, or null when unknown.</summary>
    string? HomeDirectory { get; }

    /// <summary>Reads a whole text file, or returns null when it does not exist.</summary>
    string? ReadFileIfExists(string path);
}

/// <summary>The real process environment and file system.</summary>
public sealed class SystemAwsEnvironment : IAwsEnvironment
{
    /// <summary>The one instance.</summary>
    public static SystemAwsEnvironment Instance { get; } = new();

    private SystemAwsEnvironment()
    {
    }

    /// <inheritdoc />
    public string? GetVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <inheritdoc />
    public string? HomeDirectory
    {
        get
        {
            var home = GetVariable("HOME") ?? GetVariable("USERPROFILE");
            if (home is not null)
            {
                return home;
            }

            var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(profile) ? null : profile;
        }
    }

    /// <inheritdoc />
    public string? ReadFileIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;
}
