using System.Diagnostics;
using System.Globalization;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Operator;

/// <summary>The real <c>chaos</c> process, interrupted with SIGINT (what Ctrl-C sends; kill(1), so POSIX only) while an AWS request hangs.</summary>
public class InterruptProcessTests
{
    [Fact]
    public async Task Ctrl_C_sent_to_the_real_process_during_a_hanging_request_ends_it_with_one_line_and_exit_code_130()
    {
        await using var server = await LoopbackServer.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Handler = async context =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        };
        var start = ChaosProcess.StartInfo(TestPaths.NewTempDirectory(), new Dictionary<string, string>
        {
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "AKIDTEST",
            ["AWS_SECRET_ACCESS_KEY"] = "secret",
            ["AWS_ENDPOINT_URL"] = server.Url.ToString().TrimEnd('/'),
        }, "status");

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        process.ExitCode.ShouldBe(130, await error);
        (await error).Trim().ShouldBe("chaos: interrupted; what was done before stays done (run 'chaos status' to see what is armed)");
        (await output).ShouldBeEmpty();
    }
}
