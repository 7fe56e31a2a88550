using ServerlessChaos.Aws.Configuration;

namespace ServerlessChaos.Aws.Tests.Support;

/// <summary>Environment variables from a dictionary and a home directory in a temporary folder.</summary>
public sealed class FakeEnvironment : IAwsEnvironment, IDisposable
{
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);

    public FakeEnvironment(params (string Name, string Value)[] variables)
    {
        HomeDirectory = Directory.CreateTempSubdirectory("sc-aws-home-").FullName;
        foreach (var (name, value) in variables)
        {
            _variables[name] = value;
        }
    }

    public string HomeDirectory { get; }

    string? IAwsEnvironment.HomeDirectory => HomeDirectory;

    public FakeEnvironment Set(string name, string value)
    {
        _variables[name] = value;
        return this;
    }

    /// <summary>Writes a file under the fake home and returns its full path.</summary>
    public string WriteHomeFile(string relativePath, string text)
    {
        var path = Path.Combine(HomeDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string? GetVariable(string name) => _variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string? ReadFileIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    public void Dispose()
    {
        try
        {
            Directory.Delete(HomeDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
