using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Telemetry;

/// <summary>
/// Remembers which messages were logged for one settings version (the cache keeps one <see cref="ChaosSettings"/>
/// instance per version), so a problem that repeats on every invocation is logged once per version, not per call.
/// </summary>
internal sealed class OncePerSettings
{
    private readonly ConditionalWeakTable<ChaosSettings, ConcurrentDictionary<string, bool>> _seen = new();

    /// <summary>True the first time <paramref name="key"/> is seen for <paramref name="settings"/>.</summary>
    public bool First(ChaosSettings settings, string key) => _seen.GetOrCreateValue(settings).TryAdd(key, true);
}
