using System.Reflection;

namespace ServerlessChaos.Orchestrator.Tests;

/// <summary>Paths inside the repository the tests read (the ASL file, events, node_modules).</summary>
internal static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .First(a => a.Key == "RepositoryRoot").Value!;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string AslFile => Path("infra", "statemachine", "experiment.asl.json");
}
