using System.Text.Json.Nodes;

namespace ServerlessChaos.Orchestrator.Experiments;

/// <summary>The deployment-specific rules an experiment is checked against.</summary>
public sealed class ExperimentRules
{
    /// <summary>Wrapper settings parameters must start with this. Defaults to <c>/serverless-chaos/functions/</c>.</summary>
    public string ParameterPrefix { get; init; } = ChaosConventions.ParameterPrefix;

    /// <summary>
    /// Checks one experiment's wrapper settings. Each problem starts with the field path relative to
    /// the settings object (".faults[0].rate must be ...").
    /// </summary>
    public IEnumerable<string> ValidateWrapperSettings(JsonObject settings) => WrapperSettingsCheck.Problems(settings);
}
