using System.Diagnostics;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>
/// Your own service as the game day's target (<see cref="TargetSpec"/>): started from its command with the SSM
/// environment and stopped at the end (its output in <c>service.log</c> of the report folder), or, given only a URL,
/// checked to be answering.
/// </summary>
internal sealed class OwnService : IAsyncDisposable
{
    /// <summary>The file in the report folder that gets a started command's output.</summary>
    public const string LogFile = "service.log";

    private readonly Process? process;
    private readonly StreamWriter? log;

    private OwnService(Uri address, Process? process, StreamWriter? log)
    {
        Address = address;
        this.process = process;
        this.log = log;
    }

    /// <summary>The service's base address.</summary>
    public Uri Address { get; }

    /// <summary>Starts the target's command (if any) with <paramref name="environment"/> and waits until it answers.</summary>
    /// <exception cref="CliException">The command cannot start, ends early, or never answers; a URL target does not answer.</exception>
    public static async Task<OwnService> StartAsync(TargetSpec spec, IReadOnlyList<KeyValuePair<string, string>> environment, string reportDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(environment);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        if (spec.Command is not { } command)
        {
            // Any HTTP answer means it is up: a service need not serve its root.
            if (!await AnswersAsync(probe, spec.Url, anyStatus: true, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException($"target.url {spec.Url} does not answer: start your service first, with the environment variables printed above");
            }

            return new OwnService(spec.Url, null, null);
        }

        var start = new ProcessStartInfo(command.File)
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // A pipe the game day never writes to: the service cannot read the terminal, and the pipe closes when the
            // game day's process ends for any reason, so a service that stops at end of input never outlives it.
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in command.Environment)
        {
            start.Environment[name] = value;
        }

        // The SSM variables last: the service reads the game day's store, whatever the command's own env says.
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
        var log = new StreamWriter(Path.Combine(reportDirectory, LogFile)) { AutoFlush = true };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CliException($"target.command {command.File} did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            await log.DisposeAsync().ConfigureAwait(false);
            throw new CliException($"target.command.file {command.File} cannot be started: {ex.Message}");
        }

        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new OwnService(spec.Url, process, log);
        try
        {
            var ready = new Uri(spec.Url, command.ReadinessPath.TrimStart('/'));
            var deadline = Stopwatch.StartNew();
            while (!await AnswersAsync(probe, ready, anyStatus: false, cancellationToken).ConfigureAwait(false))
            {
                if (process.HasExited)
                {
                    throw new CliException($"target.command {command.File} ended with exit code {process.ExitCode} before {ready} answered (its output is in {Path.Combine(reportDirectory, LogFile)})");
                }

                if (deadline.Elapsed > command.ReadinessTimeout)
                {
                    throw new CliException($"target.command {command.File} started, but {ready} did not answer 2xx within {command.ReadinessTimeout.TotalSeconds:0} s (target.command.readinessTimeoutSeconds; its output is in {Path.Combine(reportDirectory, LogFile)})");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return service;
    }

    /// <summary>Stops a started command and its children.</summary>
    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await ChildProcess.KillAsync(process).ConfigureAwait(false);
            process.Dispose();
        }

        if (log is not null)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the game day closed the log.
            }
        }
    }

    private static async Task<bool> AnswersAsync(HttpClient probe, Uri url, bool anyStatus, CancellationToken cancellationToken)
    {
        try
        {
            using var reply = await probe.GetAsync(url, cancellationToken).ConfigureAwait(false);
            return anyStatus || reply.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
