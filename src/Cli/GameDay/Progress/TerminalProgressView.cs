using System.Globalization;
using ServerlessChaos.Cli.GameDay.Alarms;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace ServerlessChaos.Cli.GameDay.Progress;

/// <summary>Progress on an interactive terminal: a panel that refreshes twice a second, with the latest events under it.</summary>
internal sealed class TerminalProgressView : IProgressView
{
    private const int EventsShown = 8;
    private readonly IAnsiConsole console;
    private readonly Queue<string> events = new();
    private readonly Lock gate = new();

    /// <summary>Creates the view on a Spectre console.</summary>
    public TerminalProgressView(IAnsiConsole console) => this.console = console;

    /// <inheritdoc />
    public async Task RunAsync(Func<LiveSnapshot> snapshot, CancellationToken cancellationToken)
    {
        await console.Live(Render(snapshot())).AutoClear(false).StartAsync(async context =>
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                context.UpdateTarget(Render(snapshot()));
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            context.UpdateTarget(Render(snapshot()));
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Event(string text)
    {
        lock (gate)
        {
            events.Enqueue(text);
            while (events.Count > EventsShown)
            {
                events.Dequeue();
            }
        }
    }

    private IRenderable Render(LiveSnapshot s)
    {
        var c = CultureInfo.InvariantCulture;
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow(new Markup("[bold]phase[/]"), new Markup($"[yellow]{Markup.Escape(s.Phase)}[/]"));
        grid.AddRow(new Markup("[bold]elapsed[/]"), new Text(string.Create(c, $"{s.Elapsed.TotalSeconds:0} s") + (s.Remaining is { } r ? string.Create(c, $"   ({Math.Ceiling(r.TotalSeconds):0} s left)") : string.Empty)));
        grid.AddRow(new Markup("[bold]load[/]"), new Text(string.Create(c, $"{s.RequestsPerSecond:0.0} req/s   p50 {s.Recent.P50Ms:0} ms   p99 {s.Recent.P99Ms:0} ms   5xx {s.Recent.ErrorRatePercent:0.0}%")));
        foreach (var (name, state) in s.Alarms.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            var color = state switch
            {
                AlarmState.Alarm => "red",
                AlarmState.Ok => "green",
                _ => "grey",
            };
            grid.AddRow(new Markup($"[bold]alarm[/] {Markup.Escape(name)}"), new Markup($"[{color}]{state.ToWire()}[/]"));
        }

        string[] recent;
        lock (gate)
        {
            recent = [.. events];
        }

        var rows = new Rows(grid, new Text(string.Join(Environment.NewLine, recent)));
        return new Panel(rows).Header("chaos gameday").Expand();
    }
}
