using System.Reflection;

namespace ServerlessChaos.Infra.Tests.Support;

/// <summary>The repository the tests run in (the ASL file, events/, node_modules, cdk.json).</summary>
public static class Repository
{
    public static string Root { get; } = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    /// <summary>The first experiment input under events/experiments/, relative to the root (forward slashes).</summary>
    public static string FirstExperimentInput { get; } = Directory.GetFiles(Path.Combine(Root, "events", "experiments"), "*.json")
        .Order(StringComparer.Ordinal)
        .Select(f => "events/experiments/" + Path.GetFileName(f))
        .First();
}
