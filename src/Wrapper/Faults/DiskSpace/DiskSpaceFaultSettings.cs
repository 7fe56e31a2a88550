using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>Fill part of /tmp while the handler runs; the file is removed afterwards.</summary>
internal sealed class DiskSpaceFaultSettings : FaultSettings
{
    /// <summary>Largest accepted size: 10 240 MB, Lambda's largest /tmp.</summary>
    public const int MaxMegabytes = 10_240;

    internal DiskSpaceFaultSettings(double rate, IReadOnlyList<EventMatch> match, int megabytes)
        : base(rate, match) => Megabytes = megabytes;

    /// <inheritdoc />
    public override string Type => FaultTypes.DiskSpace;

    /// <summary>Megabytes to write, 1–10 240.</summary>
    public int Megabytes { get; }
}
