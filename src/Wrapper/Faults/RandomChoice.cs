namespace ServerlessChaos.Wrapper.Faults;

/// <summary>The one way faults pick items at random: partial Fisher-Yates over the wrapper's injected randomizer.</summary>
internal static class RandomChoice
{
    /// <summary>Positions 0..<paramref name="count"/>-1, the first <paramref name="take"/> of them in random order, then the rest.</summary>
    public static int[] Shuffle(int count, int take, Func<double> random)
    {
        var positions = new int[count];
        for (var i = 0; i < count; i++)
        {
            positions[i] = i;
        }

        take = Math.Clamp(take, 0, count);
        for (var k = 0; k < take; k++)
        {
            // Clamped: a randomizer returning 1.0 (outside its contract) must not index past the end.
            var j = k + Math.Min(count - k - 1, (int)(random() * (count - k)));
            (positions[k], positions[j]) = (positions[j], positions[k]);
        }

        return positions;
    }

    /// <summary>How many of <paramref name="count"/> items a share covers: rounded up, so any share above 0 takes at least one.</summary>
    public static int Portion(double share, int count) => Math.Min(count, (int)Math.Ceiling(share * count));
}
