using System.Reflection;

namespace ServerlessChaos.Aws.Tests.Support;

public static class RepositoryPaths
{
    /// <summary>The repository root, recorded by the build in an assembly attribute.</summary>
    public static string Root { get; } = typeof(RepositoryPaths).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;
}
