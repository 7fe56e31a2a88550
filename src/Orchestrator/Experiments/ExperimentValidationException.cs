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

    /// <summary>Creates the exception for an input read from <paramref name="source"/> (a file path).</summary>
    public ExperimentValidationException(IReadOnlyList<string> errors, string source)
        : base($"{source} is not a valid experiment:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}")
    {
        Errors = errors;
        Source = source;
    }

    /// <summary>Each problem, e.g. <c>faults[0].wrapper.parameter is required</c>.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Where the input came from (a file path), when it came from a file.</summary>
    public new string? Source { get; }
}
