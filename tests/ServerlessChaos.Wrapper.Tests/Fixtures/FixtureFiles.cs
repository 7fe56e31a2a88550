namespace ServerlessChaos.Wrapper.Tests.Fixtures;

/// <summary>Reads the JSON fixtures copied next to the test assembly.</summary>
internal static class FixtureFiles
{
    public static string Read(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));
}
