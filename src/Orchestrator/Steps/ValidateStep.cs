using ServerlessChaos.Orchestrator.Execution;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Steps;

/// <summary>validate: checks the input against the experiment format and starts the journal.</summary>
internal sealed class ValidateStep(StepServices services)
{
    public Task<ExecutionState> RunAsync(ExecutionState state, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(state.Execution.Name))
        {
            throw new ControlFunctionException(ErrorTypes.InvalidState, "execution.name is required (the state machine's first state sets it from $$.Execution.Name)");
        }

        var experiment = ExperimentParser.Parse(state.Input, new ExperimentRules { ParameterPrefix = services.Options.ParameterPrefix });
        state.Experiment = experiment;
        state.Journal.Experiment = experiment.Name;
        state.Journal.ExecutionId = state.Execution.Id;
        services.Log(state, "validate",
            $"experiment {experiment.Name}: {experiment.Faults.Count} fault(s), {experiment.DurationSeconds} s, poll every {experiment.PollIntervalSeconds} s{(experiment.DryRun ? ", dry run" : "")}");
        return Task.FromResult(state);
    }
}
