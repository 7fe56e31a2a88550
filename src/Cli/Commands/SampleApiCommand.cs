using System.CommandLine;
using ServerlessChaos.Cli.GameDay;
using ServerlessChaos.Cli.GameDay.Target;
using ServerlessChaos.Samples.SampleApi;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.Cli.Commands;

/// <summary>
/// <c>chaos sample-api</c>: the sample orders API as a service of its own, configured only through environment
/// variables (the wrapper's <c>SERVERLESS_CHAOS_PARAMETER</c>, <c>AWS_ENDPOINT_URL_SSM</c>, region and credentials), to
/// try a game day against "your own service" (a plan's <c>target</c>) or to stand in for one in a pipeline. It is also
/// each task process of the local ECS-style service (<see cref="GameDay.Target.Ecs.TaskProcess"/>), which reads the
/// address it prints at start.
/// </summary>
internal static class SampleApiCommand
{
    /// <summary>
    /// The option that makes the service also stop when its standard input reaches end of file: the game day starts
    /// each task with it, on a pipe it never writes to, whose write end the kernel closes when the game day's process
    /// ends for any reason (a SIGKILL included), so no task outlives it.
    /// </summary>
    public const string StopWhenStdinClosesOption = "--stop-when-stdin-closes";

    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var port = new Option<int>("--port")
        {
            Description = "The port on 127.0.0.1 (0: any free port, printed at start).",
            DefaultValueFactory = _ => 8080,
        };
        port.Validators.Add(r =>
        {
            if (r.Tokens.Count > 0 && !int.TryParse(r.Tokens[^1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                return;
            }

            if (r.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                r.AddError($"--port must be between 0 and 65535 (was {r.GetValueOrDefault<int>()})");
            }
        });
        var stopWhenStdinCloses = new Option<bool>(StopWhenStdinClosesOption)
        {
            Description = "Also stop when standard input closes (end of file), e.g. a pipe from the process that started it, which closes when that process ends for any reason.",
        };
        var command = new Command("sample-api", "Serve the sample orders API on 127.0.0.1, decorated by the chaos wrapper configured from the environment (SERVERLESS_CHAOS_PARAMETER, AWS_ENDPOINT_URL_SSM, AWS_REGION, credentials), until Ctrl-C: a stand-in for your own service in `chaos gameday --target`.")
        {
            port,
            stopWhenStdinCloses,
        };
        command.SetAction(async (parse, interrupt) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
            if (parse.GetValue(stopWhenStdinCloses))
            {
                StopAtEndOfInput(context.OpenStandardInput(), stop);
            }

            var wrapper = ChaosWrapper.FromEnvironment(
                new ChaosOptions { ArmedTtl = GameDayOptions.SettingsTtl, IdleTtl = GameDayOptions.SettingsTtl, FunctionName = SampleTargetFactory.FunctionName, TimeProvider = context.Clock },
                context.GetEnvironmentVariable);
            using var function = SampleApiFunction.Create(wrapper, context.GetEnvironmentVariable(SampleApiFunction.InventoryUrlVariable));
            SampleApiServer server;
            try
            {
                server = await SampleApiServer.StartAsync(
                    (request, _) => function.Handler(request, new LambdaContext(request.RequestContext?.RequestId ?? Guid.NewGuid().ToString(), SampleTargetFactory.FunctionName, context.Clock.GetUtcNow() + SampleTargetFactory.IntegrationTimeout, context.Clock)),
                    interrupt,
                    parse.GetValue(port)).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new CliException($"cannot serve on 127.0.0.1:{parse.GetValue(port)}: {ex.Message}");
            }

            await using (server.ConfigureAwait(false))
            {
                await context.Out.WriteLineAsync($"sample API on {server.Address} (chaos wrapper: {(wrapper.IsOptedIn ? $"reading {context.GetEnvironmentVariable(ChaosConventions.ParameterVariable)}" : $"not opted in, {ChaosConventions.ParameterVariable} is not set")}); Ctrl-C{(parse.GetValue(stopWhenStdinCloses) ? " or the end of standard input" : "")} stops it").ConfigureAwait(false);
                await context.Out.FlushAsync(interrupt).ConfigureAwait(false);
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C, SIGTERM or (with the option) the end of standard input: the service stops.
                }
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// Reads <paramref name="input"/> to its end on a background thread of its own (a read blocks until data or end
    /// of file: no polling) and then cancels <paramref name="stop"/>; whatever is written to it is ignored.
    /// </summary>
    private static void StopAtEndOfInput(Stream input, CancellationTokenSource stop)
    {
        var reader = new Thread(() =>
        {
            using (input)
            {
                var buffer = new byte[256];
                try
                {
                    while (input.Read(buffer) > 0)
                    {
                    }
                }
                catch (IOException)
                {
                    // A broken input is as closed as one at its end.
                }
            }

            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The service already stopped otherwise.
            }
        })
        {
            IsBackground = true,
            Name = "sample-api: end of standard input",
        };
        reader.Start();
    }
}
