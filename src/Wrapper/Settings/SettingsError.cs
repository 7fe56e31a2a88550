namespace ServerlessChaos.Wrapper.Settings;

/// <summary>One problem found in a settings document: the field it concerns and what is wrong with it.</summary>
/// <param name="Field">The path of the field, e.g. <c>settings.faults[1].rate</c>.</param>
/// <param name="Problem">What is wrong, e.g. <c>must be between 0 and 1 (was 1.5)</c>.</param>
internal sealed record SettingsError(string Field, string Problem)
{
    /// <summary>The whole message, e.g. <c>settings.faults[1].rate must be between 0 and 1 (was 1.5)</c>.</summary>
    public string Message => $"{Field} {Problem}";

    /// <inheritdoc />
    public override string ToString() => Message;
}
