using System.Diagnostics;
using System.Text.Json;
using ServerlessChaos.Aws.Tests.Support;

namespace ServerlessChaos.Aws.Tests.Reference;

/// <summary>A request as the AWS SDK for JavaScript v3 built and signed it.</summary>
public sealed record JsRequest(string Id, string Method, string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string? Body);

/// <summary>Runs Reference/record-requests.mjs once and keeps what it printed.</summary>
public sealed class JsReferenceRequests
{
    public JsReferenceRequests()
    {
        var script = Path.Combine(RepositoryPaths.Root, "tests", "ServerlessChaos.Aws.Tests", "Reference", "record-requests.mjs");
        var start = new ProcessStartInfo("node", [script])
        {
            WorkingDirectory = RepositoryPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["NODE_NO_WARNINGS"] = "1";
        // The SDK must not pick up anything from the machine: everything it needs is in the script.
        foreach (var name in new[] { "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL", "AWS_REGION" })
        {
            start.Environment.Remove(name);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("record-requests.mjs did not finish within 90 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"record-requests.mjs failed ({process.ExitCode}): {stderr.Result}");
        }

        using var document = JsonDocument.Parse(stdout.Result);
        Requests = document.RootElement.EnumerateArray().Select(Read).ToDictionary(r => r.Id);
    }

    public IReadOnlyDictionary<string, JsRequest> Requests { get; }

    private static JsRequest Read(JsonElement e)
    {
        static IReadOnlyDictionary<string, string> Map(JsonElement element) =>
            element.ValueKind == JsonValueKind.Object
                ? element.EnumerateObject().ToDictionary(p => p.Name.ToLowerInvariant() == p.Name ? p.Name : p.Name, p => p.Value.GetString()!)
                : new Dictionary<string, string>();

        return new JsRequest(
            e.GetProperty("id").GetString()!,
            e.GetProperty("method").GetString()!,
            e.GetProperty("path").GetString()!,
            Map(e.GetProperty("query")),
            Map(e.GetProperty("headers")).ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value),
            e.GetProperty("body").ValueKind == JsonValueKind.String ? e.GetProperty("body").GetString() : null);
    }
}
