namespace ServerlessChaos.Wrapper.Settings;

/// <summary>How the global halt parameter's value is read; the orchestrator and the CLI use the same rule.</summary>
internal static class HaltValue
{
    /// <summary>Default name of the halt parameter.</summary>
    public const string DefaultParameterName = ChaosConventions.HaltParameter;

    /// <summary>
    /// Halted when the parameter exists and its value, trimmed, is not empty, <c>false</c>, <c>0</c> or <c>off</c>
    /// (case-insensitive). A missing parameter (<see langword="null"/>) is not halted.
    /// </summary>
    /// <param name="value">The parameter's value, or <see langword="null"/> when it does not exist.</param>
    public static bool IsHalted(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var trimmed = value.AsSpan().Trim();
        return !(trimmed.IsEmpty
            || trimmed.Equals("false", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("0", StringComparison.Ordinal)
            || trimmed.Equals("off", StringComparison.OrdinalIgnoreCase));
    }
}
