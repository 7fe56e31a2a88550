namespace ServerlessChaos.Wrapper.Tests.Support;

/// <summary>Settings documents for tests, armed until an hour after the manual clock's start.</summary>
public static class Documents
{
    public const string ExpiresAt = "2026-11-22T01:00:00Z";

    public static string Armed(params string[] faults) =>
        $$"""{"version":1,"enabled":true,"expiresAt":"{{ExpiresAt}}","experimentId":"exp-1","faults":[{{string.Join(",", faults)}}]}""";

    public const string Disarmed = ChaosConventions.DisarmedDocument;
}
