using System.Diagnostics;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.GameDay;

// Real signals to a real `chaos gameday` process while its faults are on: the CLI alone (kill, a CI timeout) and
// its whole process group (Ctrl-C in a terminal). Every wait is on something the process prints, with a bound.
public class InterruptTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    /// <summary>How long a child may take to end on its own once the CLI is gone.</summary>
    private static readonly TimeSpan OnTheirOwn = TimeSpan.FromSeconds(20);
    private static readonly string Experiments = Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Experiments");

    private static async Task SendAsync(string signal, string target)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", signal, "--", target }, UseShellExecute = false })!;
        await kill.WaitForExitAsync().WaitAsync(Bound);
        kill.ExitCode.ShouldBe(0);
    }

    private sealed record Interrupted(int ExitCode, string Out, string ReportDir, string TempDir, int NodePid, IReadOnlyList<int> TaskPids);

    private const string Armed = "/serverless-chaos/functions/sample-api armed:";

    private static async Task<Interrupted> InterruptAsync(string signal, bool wholeGroup, string when = Armed, string? alarms = null, string? plan = null)
    {
        var work = TestPaths.NewTempDirectory();
        var temp = Directory.CreateDirectory(Path.Combine(work, "tmp")).FullName;
        var reportDir = Path.Combine(work, "report");
        var cli = Path.Combine(AppContext.BaseDirectory, "ServerlessChaos.Cli.dll");
        // setsid gives the CLI its own process group, so a signal to the group reaches it and its Node child only.
        var start = new ProcessStartInfo(wholeGroup ? "setsid" : "dotnet")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] what = plan is null ? [Path.Combine(Experiments, "long.json"), "--alarms", alarms ?? Path.Combine(Experiments, "alarms-fast.json")] : ["--plan", plan];
        foreach (var arg in (string[])[.. wholeGroup ? ["dotnet"] : Array.Empty<string>(), cli, "gameday", .. what, "--report", reportDir, "--repository", TestPaths.RepositoryRoot, "--plain"])
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["TMPDIR"] = temp; // the state folder goes here, so the test can see it is gone
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains(when, StringComparison.Ordinal) == true)
            {
                armed.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await armed.Task.WaitAsync(Bound);
            // Once armed, Node runs the state machine; before that it may still be starting (0: not yet).
            var node = when == Armed ? ChildrenOf(process.Id).Single(p => p.Name == "node").Pid : ChildrenOf(process.Id).FirstOrDefault(p => p.Name == "node").Pid;
            var tasks = ChildrenOf(process.Id).Where(p => IsSampleApi(p.Pid)).Select(p => p.Pid).ToList();

            await SendAsync(signal, wholeGroup ? $"-{process.Id}" : $"{process.Id}");
            await process.WaitForExitAsync().WaitAsync(Bound);
            process.WaitForExit(); // the output is read to its end
            string text;
            lock (output)
            {
                text = output.ToString();
            }

            return new Interrupted(process.ExitCode, text, reportDir, temp, node, tasks);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>Whether the process is a task of the local service: <c>dotnet ServerlessChaos.Cli.dll sample-api ...</c>.</summary>
    private static bool IsSampleApi(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0').Contains("sample-api");
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static List<(int Pid, string Name)> ChildrenOf(int parent)
    {
        var children = new List<(int, string)>();
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after the last ')'.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == parent)
                {
                    children.Add((pid, stat[(stat.IndexOf('(') + 1)..close]));
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return children;
    }

    private static void ShouldBeRolledBackAndClean(Interrupted run)
    {
        run.ExitCode.ShouldBe(2, run.Out);
        run.Out.ShouldContain("rollback done after the interrupt: restored /serverless-chaos/functions/sample-api", customMessage: run.Out);
        run.Out.ShouldContain("Verdict: aborted (exit code 2)");
        Directory.Exists($"/proc/{run.NodePid}").ShouldBeFalse($"the Node child {run.NodePid} is still running");
        run.TaskPids.ShouldAllBe(pid => !Directory.Exists($"/proc/{pid}"), "a sample-api task process is still running");
        Directory.GetFileSystemEntries(run.TempDir, "serverless-chaos-gameday-*").ShouldBeEmpty();

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(run.ReportDir, "report.json")))!;
        report["verdict"]!.GetValue<string>().ShouldBe("aborted");
        report["reason"]!.GetValue<string>().ShouldContain("interrupted");
        report["phases"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldContain("rollback");
        report["timeline"]!.AsArray().ShouldContain(e => e!["text"]!.GetValue<string>().StartsWith("rollback done after the interrupt", StringComparison.Ordinal));
        File.Exists(Path.Combine(run.ReportDir, "report.html")).ShouldBeTrue();
    }

    [Fact]
    public async Task SIGTERM_to_the_cli_alone_rolls_back_shows_it_stops_node_removes_the_state_folder_and_exits_2()
    {
        ShouldBeRolledBackAndClean(await InterruptAsync("TERM", wholeGroup: false));
    }

    [Fact]
    public async Task Ctrl_C_to_the_whole_process_group_rolls_back_shows_it_and_exits_2()
    {
        ShouldBeRolledBackAndClean(await InterruptAsync("INT", wholeGroup: true));
    }

    [Theory]
    [InlineData("TERM", false)]
    [InlineData("INT", true)]
    public async Task A_signal_during_a_plan_with_the_local_ecs_service_also_ends_every_task_process(string signal, bool wholeGroup)
    {
        var run = await InterruptAsync(signal, wholeGroup, plan: Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Plans/ecs-interrupt.json"));

        // The plan's two tasks were child processes of the CLI while it ran; none is left after the signal.
        run.TaskPids.Count.ShouldBe(2, run.Out);
        ShouldBeRolledBackAndClean(run);
    }

    [Fact]
    public async Task A_SIGKILL_of_the_cli_during_a_plan_with_the_local_ecs_service_leaves_no_task_process_or_node_running()
    {
        // Nothing in the CLI runs after a SIGKILL: its children must notice on their own that it is gone.
        var run = await InterruptAsync("KILL", wholeGroup: false, plan: Path.Combine(TestPaths.RepositoryRoot, "tests/ServerlessChaos.Cli.Tests/GameDay/Plans/ecs-interrupt.json"));

        run.ExitCode.ShouldBe(128 + 9, run.Out);
        run.TaskPids.Count.ShouldBe(2, run.Out);
        await ShouldEndOnTheirOwnAsync([.. run.TaskPids, run.NodePid], run.Out);
    }

    [Fact]
    public async Task A_SIGKILL_of_the_cli_also_ends_your_own_service_when_it_stops_at_the_end_of_its_standard_input()
    {
        var folder = TestPaths.NewTempDirectory();
        var cli = Path.Combine(AppContext.BaseDirectory, "ServerlessChaos.Cli.dll");
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var plan = Path.Combine(folder, "own-service.json");
        await File.WriteAllTextAsync(plan, new JsonObject
        {
            ["name"] = "own-service-sigkill",
            ["experiments"] = new JsonArray(Path.Combine(Experiments, "long.json")),
            ["alarms"] = Path.Combine(Experiments, "alarms-fast.json"),
            ["load"] = new JsonObject { ["ratePerSecond"] = 20, ["requests"] = new JsonArray(new JsonObject { ["method"] = "GET", ["path"] = "/orders/{n}" }) },
            ["target"] = new JsonObject
            {
                ["url"] = $"http://127.0.0.1:{port}/",
                ["command"] = new JsonObject
                {
                    ["file"] = DotnetCli.Executable,
                    ["args"] = new JsonArray(cli, "sample-api", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), ServerlessChaos.Cli.Commands.SampleApiCommand.StopWhenStdinClosesOption),
                    ["readinessPath"] = "/health",
                },
                ["parameters"] = new JsonArray("/serverless-chaos/functions/sample-api"),
                ["ssmPort"] = 0,
            },
        }.ToJsonString());

        var run = await InterruptAsync("KILL", wholeGroup: false, plan: plan);

        run.ExitCode.ShouldBe(128 + 9, run.Out);
        run.TaskPids.Count.ShouldBe(1, run.Out); // the service's command
        await ShouldEndOnTheirOwnAsync([.. run.TaskPids, run.NodePid], run.Out);
    }

    /// <summary>
    /// Waits on each process (no longer a child of anything here: init adopted it) until it ends, for at most
    /// <see cref="OnTheirOwn"/>; one still running then is killed and fails the test.
    /// </summary>
    private static async Task ShouldEndOnTheirOwnAsync(IReadOnlyList<int> pids, string output)
    {
        var running = new List<int>();
        foreach (var pid in pids)
        {
            Process process;
            try
            {
                process = Process.GetProcessById(pid);
            }
            catch (ArgumentException)
            {
                continue; // already gone
            }

            using (process)
            {
                try
                {
                    await process.WaitForExitAsync().WaitAsync(OnTheirOwn);
                }
                catch (TimeoutException) when (IsZombie(pid))
                {
                    // It ended; only its new parent has not reaped it yet.
                }
                catch (TimeoutException)
                {
                    running.Add(pid);
                    process.Kill(entireProcessTree: true);
                }
            }
        }

        running.ShouldBeEmpty($"still running {OnTheirOwn.TotalSeconds:0} s after the CLI was killed (killed now): {output}");
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true; // gone meanwhile
        }
    }

    [Theory]
    [InlineData("TERM", 143)]
    [InlineData("INT", 130)]
    public async Task A_signal_before_the_state_machine_starts_exits_128_plus_the_signal_saying_nothing_was_armed(string signal, int exitCode)
    {
        // Alarms with 30 s periods: the baseline wait outlasts the signal sent once the load has started.
        var alarms = Path.Combine(TestPaths.NewTempDirectory(), "alarms-slow.json");
        await File.WriteAllTextAsync(alarms, (await File.ReadAllTextAsync(Path.Combine(Experiments, "alarms-fast.json"))).Replace("\"periodSeconds\": 1", "\"periodSeconds\": 30", StringComparison.Ordinal));

        var run = await InterruptAsync(signal, wholeGroup: false, when: "steady load started", alarms: alarms);

        run.ExitCode.ShouldBe(exitCode, run.Out);
        run.Out.ShouldContain("chaos: interrupted before the state machine started: nothing was armed");
        run.Out.ShouldNotContain("Verdict:");
        run.Out.ShouldNotContain("   at ");
        if (run.NodePid != 0)
        {
            Directory.Exists($"/proc/{run.NodePid}").ShouldBeFalse($"the Node child {run.NodePid} is still running");
        }

        Directory.GetFileSystemEntries(run.TempDir, "serverless-chaos-gameday-*").ShouldBeEmpty();
    }
}
