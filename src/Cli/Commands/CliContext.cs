using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Orchestrator;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Aws;
using ServerlessChaos.Orchestrator.Operations;

namespace ServerlessChaos.Cli.Commands;

/// <summary>What the commands need from the outside world; tests give their own.</summary>
internal sealed class CliContext
{
    /// <summary>
    /// By default every AWS call of a command signs in once, the way the AWS CLI does (the SDK's default
    /// credential chain and region), whether it goes through the SDK or the project's signed clients.
    /// </summary>
    public CliContext()
    {
        var aws = new Lazy<AwsAccess>(() =>
        {
            try
            {
                return AwsAccess.FromEnvironment();
            }
            catch (InvalidOperationException e)
            {
                throw new CliException(e.Message);
            }
        });
        AwsOptions = () => aws.Value.SignedClientOptions();
        Backends = options => BackendsFactory.ForAws(aws.Value, options, Clock);
        Executions = () => new StepFunctionsExecutionControl(new StepFunctionsClient(AwsOptions()));
    }

    /// <summary>Where results go.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Where errors go.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>Whether the output is an interactive terminal (the game day then shows a live panel).</summary>
    public bool Interactive { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The directory relative paths are resolved against.</summary>
    public string CurrentDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>How the project's signed clients (Step Functions, FIS) reach AWS; tests give their own endpoint.</summary>
    public Func<AwsClientOptions> AwsOptions { get; init; }

    /// <summary>
    /// The control plane's backends for the operator commands: the same ones the control functions use (on AWS:
    /// the SDK's credentials and clients). Tests give their own.
    /// </summary>
    public Func<ControlPlaneOptions, ControlPlaneBackends> Backends { get; init; }

    /// <summary>How the operator commands reach the state machine's executions.</summary>
    public Func<IExecutionControl> Executions { get; init; }

    /// <summary>The operator over the backends for these names.</summary>
    public ChaosOperator Operator(ControlPlaneOptions options) => new(Backends(options), options, Clock, Executions());

    /// <summary>Opens the process's standard input (tests give a pipe of their own).</summary>
    public Func<Stream> OpenStandardInput { get; init; } = Console.OpenStandardInput;

    /// <summary>Reads an environment variable (tests give a dictionary instead of the process environment).</summary>
    public Func<string, string?> GetEnvironmentVariable { get; init; } = Environment.GetEnvironmentVariable;

    /// <summary>The context of the real process.</summary>
    public static CliContext FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        Interactive = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null,
    };

    /// <summary>A path made absolute against <see cref="CurrentDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, CurrentDirectory);
}
