using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Cli.Commands;

namespace ServerlessChaos.Cli.Tests.Support;

internal sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>Runs the chaos command in-process against a fake AWS endpoint, with fake credentials and no ambient environment.</summary>
internal static class Chaos
{
    public static async Task<CliRun> RunAsync(FakeAws? aws, params string[] args) => await RunAsync(aws, TimeProvider.System, new Dictionary<string, string>(), args);

    public static async Task<CliRun> RunAsync(FakeAws? aws, TimeProvider clock, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext
        {
            Out = output,
            Error = error,
            Interactive = false,
            Clock = clock,
            CurrentDirectory = TestPaths.RepositoryRoot,
            GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
            AwsOptions = () => new AwsClientOptions
            {
                Region = "us-east-1",
                Credentials = new StaticCredentialsProvider("AKIDTEST", "secret"),
                Endpoint = aws?.Endpoint ?? new Uri("http://127.0.0.1:9/"),
                Retry = new AwsRetryOptions { MaxAttempts = 1 },
                Timeout = TimeSpan.FromSeconds(10),
            },
        };
        var exit = await ChaosCli.RunAsync(args, context);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
