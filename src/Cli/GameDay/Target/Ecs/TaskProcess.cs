using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using ServerlessChaos.Cli.Commands;

namespace ServerlessChaos.Cli.GameDay.Target.Ecs;

/// <summary>
/// One task of the local ECS-style service: the CLI's own <c>sample-api</c> command as an OS process of its own
/// (<c>dotnet &lt;the CLI's dll&gt; sample-api --port 0</c>), configured only through environment variables, its
/// output (the wrapper's JSON log lines) written line by line to the game day's wrapper log. Stopping it kills its
/// whole process tree at once, as a stopped container's processes are. Its standard input is a pipe the game day
/// never writes to, and it runs with <see cref="SampleApiCommand.StopWhenStdinClosesOption"/>: when the game day's
/// process ends for any reason (a SIGKILL, the OOM killer), the kernel closes the pipe and the task stops on its own.
/// </summary>
internal sealed partial class TaskProcess : IAsyncDisposable
{
    /// <summary>How long a task may take to print its address.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly TextWriter output;

    private TaskProcess(Process process, Uri address, TextWriter output)
    {
        this.process = process;
        Address = address;
        this.output = output;
    }

    /// <summary>The task's address on 127.0.0.1.</summary>
    public Uri Address { get; }

    /// <summary>The task's process id.</summary>
    public int ProcessId => process.Id;

    /// <summary>
    /// Starts a task with <paramref name="environment"/> (and no other <c>AWS_*</c> variable of this process) and
    /// returns once it has printed the address it serves on.
    /// </summary>
    /// <exception cref="CliException">The task cannot start or ends before it serves.</exception>
    public static async Task<TaskProcess> StartAsync(IReadOnlyList<KeyValuePair<string, string>> environment, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var (host, cli) = OwnCommand();
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])[cli, "sample-api", "--port", "0", SampleApiCommand.StopWhenStdinClosesOption])
        {
            start.ArgumentList.Add(arg);
        }

        // No ambient profile, keys or endpoints: the task reads this game day's store and nothing else.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var announced = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new CliException($"the local service's task ({host} {cli} sample-api) did not start");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new CliException($"the local service's task ({host} {cli} sample-api) cannot be started: {ex.Message}");
        }

        var last = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                lock (last)
                {
                    announced.TrySetException(new CliException($"a task of the local service ended before it served: {string.Join(" | ", last)}"));
                }

                return;
            }

            if (!announced.Task.IsCompleted && Announcement().Match(e.Data) is { Success: true } match)
            {
                announced.TrySetResult(new Uri(match.Groups["url"].Value));
                return;
            }

            Write(output, e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (last)
                {
                    last.Add(e.Data);
                    if (last.Count > 5)
                    {
                        last.RemoveAt(0);
                    }
                }

                Write(output, e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var address = await announced.Task.WaitAsync(StartTimeout, cancellationToken).ConfigureAwait(false);
            return new TaskProcess(process, address, output);
        }
        catch (TimeoutException)
        {
            await ChildProcess.KillAsync(process).ConfigureAwait(false);
            throw new CliException(string.Create(CultureInfo.InvariantCulture, $"a task of the local service did not print its address within {StartTimeout.TotalSeconds:0} s"));
        }
        catch
        {
            await ChildProcess.KillAsync(process).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Kills the task's whole process tree at once and waits until it is gone.</summary>
    public Task KillAsync() => ChildProcess.KillAsync(process);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await ChildProcess.KillAsync(process).ConfigureAwait(false);
        process.Dispose();
    }

    /// <summary>
    /// How this CLI runs its own commands: the <c>dotnet</c> host that runs this process (under <c>dotnet run</c>, a
    /// test host, or the installed tool's apphost alike) and the CLI's dll.
    /// </summary>
    private static (string Host, string Cli) OwnCommand()
    {
        var cli = typeof(SampleApiCommand).Assembly.Location;
        if (cli.Length == 0)
        {
            throw new CliException("the local service's tasks need the CLI's dll, and this CLI is a single file: run the game day with the chaos tool or dotnet run");
        }

        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        if (Environment.ProcessPath is { } self && Path.GetFileName(self).Equals(executable, StringComparison.OrdinalIgnoreCase))
        {
            return (self, cli);
        }

        // shared/Microsoft.NETCore.App/<version>/ under the dotnet root that holds the host.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, executable);
        return (File.Exists(host) ? host : executable, cli);
    }

    private static void Write(TextWriter output, string line)
    {
        try
        {
            output.WriteLine(line);
        }
        catch (ObjectDisposedException)
        {
            // A last line after the game day closed the log.
        }
    }

    [GeneratedRegex(@"^sample API on (?<url>http://127\.0\.0\.1:\d+/?)", RegexOptions.CultureInvariant)]
    private static partial Regex Announcement();
}
