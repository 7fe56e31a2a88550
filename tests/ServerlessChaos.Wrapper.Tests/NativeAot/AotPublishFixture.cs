using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Wrapper.Tests.NativeAot;

/// <summary>
/// Publishes tests/AotFunction as Native AOT (net8.0, linux-x64) once per test run, into a temporary folder (its build
/// output and intermediate files included, so the repository's own bin/obj are untouched). A publish takes minutes.
/// </summary>
public sealed partial class AotPublishFixture : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(25);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "serverless-chaos-aot-" + Guid.NewGuid().ToString("N"));

    /// <summary>The published executable.</summary>
    public string Bootstrap => Path.Combine(_root, "out", "bootstrap");

    /// <summary>Everything `dotnet publish` printed.</summary>
    public string PublishOutput { get; private set; } = "";

    public int PublishExitCode { get; private set; } = -1;

    [GeneratedRegex(@"\b(IL[23]\d{3})\b")]
    public static partial Regex TrimOrAotWarning();

    public async Task InitializeAsync()
    {
        var repository = typeof(AotPublishFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "RepositoryRoot").Value!;
        var project = Path.Combine(repository, "tests", "AotFunction", "ServerlessChaos.AotFunction.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                "publish", project, "-c", "Release", "-r", "linux-x64",
                "-o", Path.Combine(_root, "out"), "--artifacts-path", Path.Combine(_root, "artifacts"), "-nologo",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = repository,
        };
        // The test host's own MSBuild settings must not leak into the publish.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");
        var output = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish of the AOT function took longer than {PublishTimeout}:\n{string.Join('\n', output)}");
        }

        process.WaitForExit(); // drains the output events
        PublishExitCode = process.ExitCode;
        PublishOutput = string.Join('\n', output);
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }
}
