using System.Diagnostics;

namespace ServerlessChaos.Cli.Tests.Support;

/// <summary>
/// The real <c>chaos</c> process (the built CLI next to the tests), with an environment of the test's own: a temp
/// HOME, AWS config and credentials files, no instance metadata, and none of the machine's AWS variables.
/// </summary>
internal static class ChaosProcess
{
    private static readonly string[] Ambient =
    [
        "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
        "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "SERVERLESS_CHAOS_STATE_MACHINE_ARN",
    ];

    /// <summary>The start of the process; <paramref name="environment"/> is set on top of the clean one (HOME is a new temp folder).</summary>
    public static ProcessStartInfo StartInfo(string home, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet, [Path.Combine(AppContext.BaseDirectory, "ServerlessChaos.Cli.dll"), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in Ambient.Concat(start.Environment.Keys.Where(k => k.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = home;
        start.Environment["AWS_CONFIG_FILE"] = Path.Combine(home, ".aws", "config");
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(home, ".aws", "credentials");
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Runs the process to its end (at most 120 s).</summary>
    public static async Task<CliRun> RunAsync(string home, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Process.Start(StartInfo(home, environment, args))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return new CliRun(process.ExitCode, await output, await error);
    }
}
