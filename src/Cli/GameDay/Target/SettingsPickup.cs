using System.Globalization;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>An armed write of a settings parameter that your service never read while it was in force.</summary>
/// <param name="Parameter">The parameter.</param>
/// <param name="ArmedFor">How long the armed settings were in the store before the next write (the rollback).</param>
internal readonly record struct UnreadArm(string Parameter, TimeSpan ArmedFor);

/// <summary>
/// When your own service has what the game day wrote to its settings parameters. Every read over the local SSM
/// endpoint names the value it answered; the first read of a written value (the armed settings, then the rollback)
/// is when the service had it, which goes to the timeline with how long after the write it came. An arm the service
/// never read before the rollback means no wrapper fault reached it: the experiment tested nothing, and the game day
/// says so instead of reporting "no faults injected" as if the service had shrugged them off.
/// </summary>
internal sealed class SettingsPickup
{
    private readonly HashSet<string> parameters;
    private readonly TimeProvider clock;
    private readonly Action<string> tell;
    private readonly Lock gate = new();
    private readonly Dictionary<string, Write> latest = new(StringComparer.Ordinal);
    private readonly List<Write> writes = [];

    /// <summary>Watches <paramref name="parameters"/>; <paramref name="tell"/> gets each timeline line.</summary>
    public SettingsPickup(IEnumerable<string> parameters, TimeProvider clock, Action<string> tell)
    {
        this.parameters = new HashSet<string>(parameters, StringComparer.Ordinal);
        this.clock = clock;
        this.tell = tell;
    }

    /// <summary>A parameter was written (<paramref name="value"/>) or deleted (null) in the game day's store.</summary>
    public void Written(string name, string? value)
    {
        if (!parameters.Contains(name))
        {
            return;
        }

        var now = clock.GetUtcNow();
        var armed = value is not null && ChaosSettings.Parse(value).Settings is { Enabled: true };
        lock (gate)
        {
            if (latest.TryGetValue(name, out var before))
            {
                before.EndedAt = now;
            }

            var write = new Write(name, value, armed, now);
            latest[name] = write;
            writes.Add(write);
        }
    }

    /// <summary>A read over SSM answered <paramref name="value"/> (null: not found) for <paramref name="name"/>.</summary>
    public void Read(string name, string? value)
    {
        Write? first = null;
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (latest.TryGetValue(name, out var write) && write.ReadAt is null && string.Equals(write.Value, value, StringComparison.Ordinal))
            {
                write.ReadAt = now;
                first = write;
            }
        }

        if (first is not null)
        {
            var what = first.Armed ? "the armed settings of " + name : $"{name} {(first.Value is null ? "deleted" : "disarmed")}";
            tell(string.Create(CultureInfo.InvariantCulture, $"your service read {what}, {(now - first.At).TotalSeconds:0.0} s after {(first.Armed ? "the arm" : "the change")}"));
        }
    }

    /// <summary>The armed writes made at or after <paramref name="since"/> that the service never read before the next write.</summary>
    public IReadOnlyList<UnreadArm> Unread(DateTimeOffset since)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            return [.. writes.Where(w => w.Armed && w.At >= since && w.ReadAt is null).Select(w => new UnreadArm(w.Name, (w.EndedAt ?? now) - w.At))];
        }
    }

    private sealed class Write(string name, string? value, bool armed, DateTimeOffset at)
    {
        public string Name { get; } = name;

        public string? Value { get; } = value;

        public bool Armed { get; } = armed;

        public DateTimeOffset At { get; } = at;

        public DateTimeOffset? ReadAt { get; set; }

        public DateTimeOffset? EndedAt { get; set; }
    }
}
