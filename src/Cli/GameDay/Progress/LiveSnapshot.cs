using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Metrics;

namespace ServerlessChaos.Cli.GameDay.Progress;

/// <summary>What the live view shows at one moment.</summary>
/// <param name="Phase">The current phase.</param>
/// <param name="Elapsed">Time since the game day started.</param>
/// <param name="Remaining">The time the plan still needs, when known.</param>
/// <param name="RequestsPerSecond">Requests completed in the last second.</param>
/// <param name="Recent">Statistics of the last few seconds.</param>
/// <param name="Alarms">Every alarm's state.</param>
internal sealed record LiveSnapshot(
    string Phase,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    double RequestsPerSecond,
    WindowStats Recent,
    IReadOnlyDictionary<string, AlarmState> Alarms);

/// <summary>Shows a running game day: a refreshing panel on a terminal, plain lines when the output is redirected.</summary>
internal interface IProgressView
{
    /// <summary>Refreshes from <paramref name="snapshot"/> until cancelled.</summary>
    Task RunAsync(Func<LiveSnapshot> snapshot, CancellationToken cancellationToken);

    /// <summary>Reports one event of the timeline.</summary>
    void Event(string text);
}
