namespace ServerlessChaos.Orchestrator.Operations;

/// <summary>How one action of an operator command went.</summary>
public enum ActionOutcome
{
    /// <summary>It was done.</summary>
    Done,

    /// <summary>Nothing needed doing (already halted, already disarmed, nothing running).</summary>
    NothingToDo,

    /// <summary>Not attempted, and not needed for the goal (e.g. executions without a state machine ARN).</summary>
    Skipped,

    /// <summary>It was tried and failed; <see cref="OperatorAction.Error"/> says why.</summary>
    Failed,
}

/// <summary>One thing an operator command did or could not do.</summary>
/// <param name="Outcome">How it went.</param>
/// <param name="Text">What, as a sentence fragment: <c>disarmed /serverless-chaos/functions/checkout</c>.</param>
/// <param name="Error">Why it failed (the service's error, as it said it); null unless <see cref="ActionOutcome.Failed"/>.</param>
public sealed record OperatorAction(ActionOutcome Outcome, string Text, string? Error = null);

/// <summary>Everything a best-effort command (halt, disarm) did, in order; each action is also passed to a listener as it happens.</summary>
public sealed class OperatorReport(Action<OperatorAction>? listener = null)
{
    private readonly List<OperatorAction> actions = [];

    /// <summary>The actions, in the order they happened.</summary>
    public IReadOnlyList<OperatorAction> Actions => actions;

    /// <summary>The actions that failed.</summary>
    public IEnumerable<OperatorAction> Failures => actions.Where(a => a.Outcome == ActionOutcome.Failed);

    /// <summary>True when nothing failed.</summary>
    public bool Complete => !Failures.Any();

    /// <summary>Records an action and tells the listener.</summary>
    public void Add(OperatorAction action)
    {
        actions.Add(action);
        listener?.Invoke(action);
    }

    internal void Done(string text) => Add(new OperatorAction(ActionOutcome.Done, text));

    internal void NothingToDo(string text) => Add(new OperatorAction(ActionOutcome.NothingToDo, text));

    internal void Skipped(string text) => Add(new OperatorAction(ActionOutcome.Skipped, text));

    internal void Failed(string text, Exception error) => Add(new OperatorAction(ActionOutcome.Failed, text, Describe(error)));

    /// <summary>An error as one line: the service's own error name and message where there is one.</summary>
    public static string Describe(Exception error) => error switch
    {
        Backends.BackendException { ErrorCode: { } code } b when !b.Message.Contains(code, StringComparison.Ordinal) => $"{code}: {b.Message}",
        Backends.BackendException or Aws.AwsServiceException or Steps.ControlFunctionException => error.Message,
        _ => $"{error.GetType().Name}: {error.Message}",
    };
}
