namespace ServerlessChaos.Cli.GameDay;

/// <summary>Finds the ServerlessChaos repository the game day runs from (the ASL file, events, package.json).</summary>
internal static class RepositoryLocator
{
    /// <summary>The file that marks the repository root.</summary>
    public const string Marker = "infra/statemachine/experiment.asl.json";

    /// <summary>The nearest directory at or above one of <paramref name="starts"/> that holds the state machine and package.json.</summary>
    public static string? Find(params string[] starts)
    {
        foreach (var start in starts)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)) && File.Exists(Path.Combine(dir.FullName, "package.json")))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }
}
