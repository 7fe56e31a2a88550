using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Cli.Commands;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Aws;
using ServerlessChaos.Orchestrator.Backends.Probes;
using ServerlessChaos.Orchestrator.Operations;

namespace ServerlessChaos.Cli.Tests.Support;

internal sealed record CliRun(int ExitCode, string Out, string Error);

/// <summary>
/// Runs the chaos command in-process against a fake AWS endpoint, with fake credentials and no ambient environment.
/// The operator commands get the control plane's real AWS backends (the SDK's SSM client, the signed FIS and Step
/// Functions clients), pointed at the endpoint.
/// </summary>
internal static class Chaos
{
    public static async Task<CliRun> RunAsync(FakeAws? aws, params string[] args) => await RunAsync(aws, TimeProvider.System, new Dictionary<string, string>(), args);

    public static Task<CliRun> RunAsync(FakeAws? aws, TimeProvider clock, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync(aws?.Endpoint, clock, environment, CancellationToken.None, args);

    public static async Task<CliRun> RunAsync(Uri? endpoint, TimeProvider clock, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var url = endpoint ?? new Uri("http://127.0.0.1:9/");
        AwsClientOptions Signed() => new()
        {
            Region = "us-east-1",
            Credentials = new StaticCredentialsProvider("AKIDTEST", "secret"),
            Endpoint = url,
            Retry = new AwsRetryOptions { MaxAttempts = 1 },
            Timeout = TimeSpan.FromSeconds(10),
        };
        var credentials = new BasicAWSCredentials("AKIDTEST", "secret");
        var context = new CliContext
        {
            Out = output,
            Error = error,
            Interactive = false,
            Clock = clock,
            CurrentDirectory = TestPaths.RepositoryRoot,
            GetEnvironmentVariable = name => environment.GetValueOrDefault(name),
            AwsOptions = Signed,
            Backends = options => new ControlPlaneBackends(
                new AwsParameterStore(new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 })),
                new AwsAlarmSource(new CloudWatchClient(Signed())),
                new AwsFisService(new FisClient(Signed())),
                new AwsDeadLetterQueue(new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }), null),
                new HttpLoadProbeRunner(new HttpClient(), clock)),
            Executions = () => new StepFunctionsExecutionControl(new StepFunctionsClient(Signed())),
        };
        var exit = await ChaosCli.RunAsync(args, context, cancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }
}
