namespace ServerlessChaos.Wrapper.Tests.Support;

/// <summary>Random numbers a test chooses: the given values in turn, then the last one forever.</summary>
public sealed class Sequence(params double[] values)
{
    private int _next;

    public int Calls { get; private set; }

    public double Next()
    {
        Calls++;
        var value = values[Math.Min(_next, values.Length - 1)];
        _next++;
        return value;
    }

    public static Func<double> Always(double value) => () => value;
}
