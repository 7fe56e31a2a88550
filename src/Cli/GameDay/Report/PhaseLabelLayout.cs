namespace ServerlessChaos.Cli.GameDay.Report;

/// <summary>A phase label placed above a chart: where it starts, how wide it is, and its row (0 is the lowest, next to the plot).</summary>
/// <param name="X">The label's left edge, in chart units.</param>
/// <param name="Width">Its estimated width, in chart units.</param>
/// <param name="Row">The row it goes in.</param>
internal readonly record struct PlacedLabel(double X, double Width, int Row)
{
    /// <summary>Its right edge.</summary>
    public double End => X + Width;
}

/// <summary>
/// Lays out the phase labels above a chart so that none overlaps another: each label starts at its phase's left
/// edge and goes into the lowest row whose last label ends (plus a gap) before it begins. Short phases side by side
/// therefore stack into as many rows as they need, long ones share the first row.
/// </summary>
internal static class PhaseLabelLayout
{
    /// <summary>The gap kept between two labels of one row, in chart units.</summary>
    public const double Gap = 4;

    /// <summary>How wide a label of <paramref name="text"/> is, at <paramref name="fontSize"/>: a generous average glyph width of 0.62 em, so real fonts fit inside.</summary>
    public static double WidthOf(string text, double fontSize)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length * fontSize * 0.62;
    }

    /// <summary>Places labels, given as their left edge (ascending) and width, each in the lowest row it fits.</summary>
    public static IReadOnlyList<PlacedLabel> Place(IReadOnlyList<(double X, double Width)> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var rowEnds = new List<double>();
        var placed = new List<PlacedLabel>(labels.Count);
        foreach (var (x, width) in labels)
        {
            var row = rowEnds.FindIndex(end => end + Gap <= x);
            if (row < 0)
            {
                row = rowEnds.Count;
                rowEnds.Add(double.NegativeInfinity);
            }

            rowEnds[row] = x + width;
            placed.Add(new PlacedLabel(x, width, row));
        }

        return placed;
    }

    /// <summary>How many rows some placed labels use (at least one).</summary>
    public static int Rows(IReadOnlyList<PlacedLabel> placed) => placed.Count == 0 ? 1 : placed.Max(p => p.Row) + 1;
}
