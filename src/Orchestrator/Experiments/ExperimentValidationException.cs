namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>An experiment input that does not follow the format; every problem names its field.</summary>
public sealed class ExperimentValidationException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public ExperimentValidationException(IReadOnlyList<string> errors)
        : base("The experiment input is invalid: " + string.Join("; ", errors))
    {
        Errors = errors;
    }

    /// <summary>Each problem, e.g. <c>faults[0].wrapper.parameter is required</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
