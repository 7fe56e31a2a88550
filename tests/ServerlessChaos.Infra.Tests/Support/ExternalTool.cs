using System.Diagnostics;

namespace ServerlessChaos.Infra.Tests.Support;

/// <summary>Runs one of the repository's tools (the CDK CLI, asl-validator, cfn-lint) from the repository root.</summary>
public static class ExternalTool
{
    public static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Offline and quiet: no telemetry, no update check; no AWS profile is read for a synth.
        start.Environment["CDK_DISABLE_CLI_TELEMETRY"] = "true";
        start.Environment["CDK_DISABLE_VERSION_CHECK"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = timeout ?? TimeSpan.FromMinutes(4);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} did not finish within {limit}");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The CDK CLI the repository pins (package.json).</summary>
    public static string Cdk => Path.Combine(Repository.Root, "node_modules", ".bin", "cdk");

    /// <summary>asl-validator from package.json.</summary>
    public static string AslValidator => Path.Combine(Repository.Root, "node_modules", ".bin", "asl-validator");
}
