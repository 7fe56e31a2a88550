using Microsoft.AspNetCore.Http;
using ServerlessChaos.Cli.Operator;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.Tests.Operator;

public class ErrorsAndSignalsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("\u001b[31mred\u001b[0m and \u001b[2J\u001b[Hcleared", "red and cleared")]
    [InlineData("ok\nchaos: Halted.", "ok chaos: Halted.")]
    [InlineData("title\u001b]0;owned\u0007 done", "title done")]
    [InlineData("bell\u0007 and \u0000null\r\nend", "bell? and ?null  end")]
    [InlineData("\u202Egnirts desrever", "gnirts desrever")]
    public void Server_text_loses_escapes_control_characters_and_line_breaks(string text, string printed)
    {
        ServerText.Clean(text).ShouldBe(printed);
    }

    [Fact]
    public void Server_text_is_cut_at_its_maximum_length()
    {
        var clean = ServerText.Clean(new string('x', ServerText.MaxLength + 500));
        clean.Length.ShouldBe(ServerText.MaxLength + 1);
        clean.ShouldEndWith("…");
    }

    [Fact]
    public async Task An_error_reply_with_escapes_and_a_fake_line_is_printed_as_one_clean_line()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Interfere = async (context, operation, body) =>
        {
            await FakeAws.ErrorAsync(context, 400, "AccessDeniedException", "\u001b[2J\u001b[32mdenied\nchaos: Halted. Run 'chaos unhalt' to allow chaos again.");
            return true;
        };

        var run = await Chaos.RunAsync(aws, new ManualTimeProvider(Now), NoEnvironment, "halt");

        run.ExitCode.ShouldBe(2);
        (run.Out + run.Error).ShouldNotContain("\u001b");
        var lines = (run.Out + run.Error).Split('\n', StringSplitOptions.TrimEntries);
        lines.ShouldNotContain(l => l.StartsWith("chaos: Halted.", StringComparison.Ordinal) || l.StartsWith("Halted.", StringComparison.Ordinal));
        run.Error.ShouldContain("denied chaos: Halted.");
    }

    [Fact]
    public async Task Ctrl_C_during_a_hanging_request_ends_with_one_line_and_exit_code_130()
    {
        await using var aws = await FakeAws.StartAsync();
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        aws.Interfere = async (context, operation, body) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return true;
        };
        using var interrupt = new CancellationTokenSource();

        var running = Chaos.RunAsync(aws.Endpoint, new ManualTimeProvider(Now), NoEnvironment, interrupt.Token, "status");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await interrupt.CancelAsync();
        var run = await running.WaitAsync(TimeSpan.FromSeconds(30));

        run.ExitCode.ShouldBe(130);
        run.Error.Trim().ShouldBe("chaos: interrupted; what was done before stays done (run 'chaos status' to see what is armed)");
        run.Out.ShouldBeEmpty();
    }

    [Fact]
    public async Task Halt_through_a_proxy_that_drops_throttles_and_fails_reports_each_and_a_clean_second_run_finishes_the_job()
    {
        await using var aws = await FakeAws.StartAsync();
        aws.Put(ChaosConventions.ParameterPrefix + "checkout", $$"""{"version":1,"enabled":true,"expiresAt":"{{Now.AddMinutes(9):yyyy-MM-ddTHH:mm:ssZ}}","faults":[{"type":"statusCode","rate":1,"statusCode":503}]}""");
        var calls = 0;
        aws.Interfere = async (context, operation, body) =>
        {
            switch (Interlocked.Increment(ref calls) % 3)
            {
                case 1:
                    context.Abort(); // a dropped connection
                    return true;
                case 2:
                    await FakeAws.ErrorAsync(context, 400, "ThrottlingException", "Rate exceeded");
                    return true;
                default:
                    await FakeAws.ErrorAsync(context, 500, "InternalServerError", "try again");
                    return true;
            }
        };

        var rough = await Chaos.RunAsync(aws, new ManualTimeProvider(Now), NoEnvironment, "halt");

        rough.ExitCode.ShouldBe(2);
        rough.Out.ShouldContain("Incomplete: 0 done");
        rough.Error.ShouldNotContain("   at ");
        (rough.Error.Contains("ThrottlingException", StringComparison.Ordinal) || rough.Error.Contains("InternalServerError", StringComparison.Ordinal)).ShouldBeTrue(rough.Error);

        aws.Interfere = null;
        var calm = await Chaos.RunAsync(aws, new ManualTimeProvider(Now), NoEnvironment, "halt");

        calm.ExitCode.ShouldBe(0, calm.Error);
        HaltValue.IsHalted(aws.Value(ChaosConventions.HaltParameter)).ShouldBeTrue();
        aws.Value(ChaosConventions.ParameterPrefix + "checkout").ShouldBe(ChaosConventions.DisarmedDocument);
    }
}
