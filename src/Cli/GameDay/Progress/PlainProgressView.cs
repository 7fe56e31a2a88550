using System.Globalization;
using ServerlessChaos.Cli.GameDay.Alarms;

namespace ServerlessChaos.Cli.GameDay.Progress;

/// <summary>Progress as plain lines (for CI logs and redirected output): every event, and a status line at an interval.</summary>
internal sealed class PlainProgressView : IProgressView
{
    private readonly TextWriter output;
    private readonly TimeSpan interval;
    private readonly TimeProvider clock;
    private readonly Lock gate = new();

    /// <summary>Creates the view.</summary>
    /// <param name="output">Where the lines go.</param>
    /// <param name="interval">How often a status line is printed.</param>
    /// <param name="clock">The clock that paces the status lines.</param>
    public PlainProgressView(TextWriter output, TimeSpan interval, TimeProvider clock)
    {
        this.output = output;
        this.interval = interval;
        this.clock = clock;
    }

    /// <inheritdoc />
    public async Task RunAsync(Func<LiveSnapshot> snapshot, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Write(Format(snapshot()));
        }
    }

    /// <inheritdoc />
    public void Event(string text) => Write(text);

    /// <summary>One status line.</summary>
    public static string Format(LiveSnapshot s)
    {
        var c = CultureInfo.InvariantCulture;
        var alarms = string.Join(" ", s.Alarms.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.ToWire()}"));
        var left = s.Remaining is { } r ? string.Create(c, $"{Math.Ceiling(r.TotalSeconds):0}s left") : "time left unknown";
        return string.Create(c, $"[{s.Elapsed.TotalSeconds,5:0}s] {s.Phase,-20} {s.RequestsPerSecond,5:0.0} rps  p50 {s.Recent.P50Ms,5:0} ms  p99 {s.Recent.P99Ms,5:0} ms  5xx {s.Recent.ErrorRatePercent,5:0.0}%  {alarms}  {left}");
    }

    private void Write(string line)
    {
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}
