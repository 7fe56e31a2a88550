using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// After the handler ran, replace the body of its HTTP-shaped result with <see cref="Body"/>, or, without one, garble
/// it: cut it at a random 30–80 % of its length and append three U+FFFD replacement characters (failure-lambda 1.0's
/// corruption mode).
/// </summary>
internal sealed class CorruptionFaultSettings : FaultSettings
{
    /// <summary>What a garbled body ends with: three Unicode replacement characters.</summary>
    public const string GarbleSuffix = "\uFFFD\uFFFD\uFFFD";

    internal CorruptionFaultSettings(double rate, IReadOnlyList<EventMatch> match, string? body)
        : base(rate, match) => Body = body;

    /// <inheritdoc />
    public override string Type => FaultTypes.Corruption;

    /// <summary>The replacement body; <see langword="null"/> garbles the handler's own body instead.</summary>
    public string? Body { get; }

    /// <summary>The corrupted body: <see cref="Body"/>, or <paramref name="original"/> cut and marked; null stays null.</summary>
    /// <param name="original">The handler's body.</param>
    /// <param name="random">A uniform number in [0, 1) choosing where to cut.</param>
    internal string? Corrupt(string? original, double random)
    {
        if (Body is not null)
        {
            return Body;
        }

        if (string.IsNullOrEmpty(original))
        {
            return original;
        }

        var cut = (int)Math.Floor(original.Length * (0.3 + (random * 0.5)));
        return string.Concat(original.AsSpan(0, cut), GarbleSuffix);
    }
}
