using System.Diagnostics;
using ServerlessChaos.Cli.Commands;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Sample;

// The real `chaos sample-api` process with its standard input on a pipe from the test, as the game day starts its
// tasks: with the option, the end of that input stops it (as the game day's death closes the pipe); without it, a
// user's service is not stopped by its input closing. Every wait is on the process or its output, with a bound.
public class SampleApiStandardInputTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private sealed record Served(Process Process, Uri Address) : IDisposable
    {
        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit();
            }

            Process.Dispose();
        }
    }

    private static async Task<Served> StartAsync(params string[] options)
    {
        var start = ChaosProcess.StartInfo(TestPaths.NewTempDirectory(), new Dictionary<string, string>(), ["sample-api", "--port", "0", .. options]);
        start.RedirectStandardInput = true;
        var process = Process.Start(start)!;
        var announced = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("sample API on ", StringComparison.Ordinal))
            {
                announced.TrySetResult(new Uri(line.Split(' ')[3]));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return new Served(process, await announced.Task.WaitAsync(Bound));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    [Fact]
    public async Task With_the_option_the_end_of_standard_input_stops_the_service_gracefully_and_without_it_the_service_keeps_serving()
    {
        using var told = await StartAsync(SampleApiCommand.StopWhenStdinClosesOption);
        using var notTold = await StartAsync();
        using var client = new HttpClient { Timeout = Bound };
        (await client.GetAsync(new Uri(told.Address, "health"))).IsSuccessStatusCode.ShouldBeTrue();

        // Written-to input is ignored; only its end counts.
        await told.Process.StandardInput.WriteLineAsync("anything");
        await told.Process.StandardInput.FlushAsync();
        (await client.GetAsync(new Uri(told.Address, "health"))).IsSuccessStatusCode.ShouldBeTrue();
        told.Process.HasExited.ShouldBeFalse();

        told.Process.StandardInput.Close();
        notTold.Process.StandardInput.Close();

        await told.Process.WaitForExitAsync().WaitAsync(Bound);
        told.Process.ExitCode.ShouldBe(0);
        await Should.ThrowAsync<HttpRequestException>(() => client.GetAsync(new Uri(told.Address, "health")));

        // Its input closed at the same moment as the other's, which has ended since: this one serves on.
        (await client.GetAsync(new Uri(notTold.Address, "health"))).IsSuccessStatusCode.ShouldBeTrue();
        notTold.Process.HasExited.ShouldBeFalse();
    }
}
