namespace ServerlessChaos.Orchestrator.Backends.Local;

/// <summary>
/// A FIS engine for the Lambda-type actions and ECS's <c>aws:ecs:stop-task</c>, driven by a <see cref="TimeProvider"/>: an experiment is
/// pending, then initiating, then running for the template's longest action, then completed. Stop
/// makes it stopping then stopped; failures and cancellations can be injected.
/// </summary>
public sealed class LocalFisEngine : IFisService
{
    /// <summary>The ECS action that stops tasks of a service; a host that runs local tasks carries it out (see <see cref="ActiveActionsByExperiment"/>).</summary>
    public const string EcsStopTask = "aws:ecs:stop-task";

    /// <summary>The FIS action ids this engine accepts (the Lambda ones and <see cref="EcsStopTask"/>).</summary>
    public static readonly IReadOnlyList<string> SupportedActions =
    [
        "aws:lambda:invocation-add-delay",
        "aws:lambda:invocation-error",
        "aws:lambda:invocation-http-integration-response",
        EcsStopTask,
    ];

    private readonly LocalStateFile<LocalFisState> state;
    private readonly TimeProvider time;

    /// <summary>Creates the engine; with <paramref name="file"/> its templates and experiments live in that JSON file.</summary>
    public LocalFisEngine(TimeProvider time, string? file = null)
    {
        this.time = time;
        state = new(file, LocalJson.Default.LocalFisState, () => new LocalFisState());
    }

    /// <summary>How long a new experiment stays pending. Defaults to 1 s.</summary>
    public TimeSpan PendingFor { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long it stays initiating. Defaults to 1 s.</summary>
    public TimeSpan InitiatingFor { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a stop takes (stopping, then stopped). Defaults to 0.</summary>
    public TimeSpan StopTakes { get; init; } = TimeSpan.Zero;

    /// <summary>Adds or replaces a template.</summary>
    /// <exception cref="ArgumentException">An action is not one of <see cref="SupportedActions"/>.</exception>
    public void AddTemplate(LocalFisTemplate template)
    {
        foreach (var action in template.Actions)
        {
            if (!SupportedActions.Contains(action.ActionId))
            {
                throw new ArgumentException($"template {template.Id}: action {action.Name} uses {action.ActionId}; the local FIS engine runs only {string.Join(", ", SupportedActions)}");
            }
        }

        state.Update(s => s.Templates[template.Id] = template, save: true);
    }

    /// <summary>Makes every experiment started from <paramref name="templateId"/> fail <paramref name="after"/> its start.</summary>
    public void FailExperimentsOf(string templateId, TimeSpan after, string reason = "injected failure") =>
        state.Update(s => s.TemplateFailures[templateId] = new LocalFisFailure { AfterSeconds = after.TotalSeconds, Reason = reason }, save: true);

    /// <summary>Cancels an experiment now.</summary>
    public void Cancel(string experimentId) =>
        state.Update(s => Find(s, experimentId).CancelledAt = time.GetUtcNow(), save: true);

    /// <summary>Stops an experiment now, as a person in the console would.</summary>
    public void StopFromConsole(string experimentId) =>
        state.Update(s => Find(s, experimentId).StopRequestedAt ??= time.GetUtcNow(), save: true);

    /// <summary>The actions in effect now: those of running experiments started with <c>run-all</c>.</summary>
    public IReadOnlyList<LocalFisAction> ActiveActions() => state.Update(
        s => s.Experiments.Values
            .Where(e => e.ActionsMode == "run-all" && StateOf(s, e) == "running")
            .SelectMany(e => s.Templates.TryGetValue(e.TemplateId, out var t) ? t.Actions : [])
            .ToList(),
        save: false);

    /// <summary>The actions in effect now with the experiment that runs them, so a one-shot action (a task stop) is carried out once per experiment.</summary>
    public IReadOnlyList<(string ExperimentId, LocalFisAction Action)> ActiveActionsByExperiment() => state.Update(
        s => s.Experiments.Values
            .Where(e => e.ActionsMode == "run-all" && StateOf(s, e) == "running")
            .SelectMany(e => (s.Templates.TryGetValue(e.TemplateId, out var t) ? t.Actions : []).Select(a => (e.Id, a)))
            .ToList(),
        save: false);

    /// <summary>Every experiment started so far, with its state now.</summary>
    public IReadOnlyList<(string Id, string TemplateId, string State)> Experiments() => state.Update(
        s => s.Experiments.Values.Select(e => (e.Id, e.TemplateId, StateOf(s, e))).ToList(),
        save: false);

    /// <inheritdoc />
    public Task<bool> TemplateExistsAsync(string templateId, CancellationToken cancellationToken) =>
        Task.FromResult(state.Update(s => s.Templates.ContainsKey(templateId), save: false));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindTemplatesByTagAsync(string key, string value, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(state.Update(
            s => s.Templates.Values.Where(t => t.Tags.GetValueOrDefault(key) == value).Select(t => t.Id).ToList(),
            save: false));

    /// <inheritdoc />
    public Task<string> StartExperimentAsync(FisStartRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(state.Update(
            s =>
            {
                if (!s.Templates.ContainsKey(request.TemplateId))
                {
                    throw new BackendException("fis", "StartExperiment", $"experiment template {request.TemplateId} not found");
                }

                var existing = s.Experiments.Values.FirstOrDefault(e => e.ClientToken == request.ClientToken);
                if (existing is not null)
                {
                    return existing.Id;
                }

                var experiment = new LocalFisExperiment
                {
                    Id = "EXP" + Guid.NewGuid().ToString("N")[..14],
                    TemplateId = request.TemplateId,
                    ClientToken = request.ClientToken,
                    ActionsMode = request.ActionsMode,
                    Tags = new Dictionary<string, string>(request.Tags),
                    StartedAt = time.GetUtcNow(),
                };
                s.Experiments[experiment.Id] = experiment;
                return experiment.Id;
            },
            save: true));

    /// <inheritdoc />
    public Task<FisExperimentStatus> GetExperimentAsync(string experimentId, CancellationToken cancellationToken) =>
        Task.FromResult(state.Update(
            s =>
            {
                var e = Find(s, experimentId);
                var current = StateOf(s, e);
                var reason = current == "failed" ? s.TemplateFailures.GetValueOrDefault(e.TemplateId)?.Reason : null;
                return new FisExperimentStatus(current, reason);
            },
            save: false));

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> FindExperimentsByTagAsync(string key, string value, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(state.Update(
            s => s.Experiments.Values.Where(e => e.Tags.GetValueOrDefault(key) == value).Select(e => e.Id).ToList(),
            save: false));

    /// <inheritdoc />
    public Task StopExperimentAsync(string experimentId, CancellationToken cancellationToken)
    {
        state.Update(
            s =>
            {
                var e = Find(s, experimentId);
                if (StateOf(s, e) is "pending" or "initiating" or "running")
                {
                    e.StopRequestedAt = time.GetUtcNow();
                }

                return e;
            },
            save: true);
        return Task.CompletedTask;
    }

    private static LocalFisExperiment Find(LocalFisState s, string id) =>
        s.Experiments.TryGetValue(id, out var e) ? e : throw new BackendException("fis", "GetExperiment", $"experiment {id} not found");

    private string StateOf(LocalFisState s, LocalFisExperiment e)
    {
        var now = time.GetUtcNow();
        var duration = s.Templates.TryGetValue(e.TemplateId, out var template) && template.Actions.Count > 0
            ? template.Actions.Max(a => a.Duration)
            : TimeSpan.FromSeconds(60);
        var runningFrom = e.StartedAt + PendingFor + InitiatingFor;
        var completesAt = runningFrom + duration;
        var failsAt = s.TemplateFailures.TryGetValue(e.TemplateId, out var failure) ? e.StartedAt.AddSeconds(failure.AfterSeconds) : (DateTimeOffset?)null;

        // Whatever happened first decides how the experiment ended.
        var ends = new List<(DateTimeOffset At, string State)> { (completesAt, "completed") };
        if (failsAt is { } f)
        {
            ends.Add((f, "failed"));
        }

        if (e.CancelledAt is { } c)
        {
            ends.Add((c, "cancelled"));
        }

        if (e.StopRequestedAt is { } stop)
        {
            ends.Add((stop, now < stop + StopTakes ? "stopping" : "stopped"));
        }

        var first = ends.OrderBy(x => x.At).First();
        if (now >= first.At)
        {
            return first.State;
        }

        return now < e.StartedAt + PendingFor ? "pending" : now < runningFrom ? "initiating" : "running";
    }
}

/// <summary>A local FIS experiment template.</summary>
public sealed class LocalFisTemplate
{
    /// <summary>The template id.</summary>
    public string Id { get; set; } = "";

    /// <summary>Tags (an experiment can find the template by tag).</summary>
    public Dictionary<string, string> Tags { get; set; } = new();

    /// <summary>What it does.</summary>
    public string? Description { get; set; }

    /// <summary>The actions; the experiment runs as long as the longest.</summary>
    public List<LocalFisAction> Actions { get; set; } = new();
}

/// <summary>One FIS action (Lambda-type, or an ECS task stop).</summary>
public sealed class LocalFisAction
{
    /// <summary>The action's name in the template.</summary>
    public string Name { get; set; } = "";

    /// <summary>One of <see cref="LocalFisEngine.SupportedActions"/>.</summary>
    public string ActionId { get; set; } = "";

    /// <summary>The function names a Lambda action targets.</summary>
    public List<string> Functions { get; set; } = new();

    /// <summary>The services (<c>cluster/service</c>) an ECS action targets.</summary>
    public List<string> Services { get; set; } = new();

    /// <summary>The action parameters, e.g. <c>invocationPercentage</c>, <c>startupDelayMilliseconds</c>, <c>statusCode</c>.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new();

    /// <summary>How long it runs.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>A started local experiment (persisted form).</summary>
public sealed class LocalFisExperiment
{
    /// <summary>The experiment id.</summary>
    public string Id { get; set; } = "";

    /// <summary>The template it came from.</summary>
    public string TemplateId { get; set; } = "";

    /// <summary>The start's idempotency token.</summary>
    public string ClientToken { get; set; } = "";

    /// <summary>run-all or skip-all.</summary>
    public string ActionsMode { get; set; } = "run-all";

    /// <summary>Its tags.</summary>
    public Dictionary<string, string> Tags { get; set; } = new();

    /// <summary>When it started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When a stop was asked for.</summary>
    public DateTimeOffset? StopRequestedAt { get; set; }

    /// <summary>When it was cancelled.</summary>
    public DateTimeOffset? CancelledAt { get; set; }
}

/// <summary>An injected failure for a template's experiments.</summary>
public sealed class LocalFisFailure
{
    /// <summary>Seconds after the start.</summary>
    public double AfterSeconds { get; set; }

    /// <summary>The failure reason.</summary>
    public string Reason { get; set; } = "";
}

/// <summary>The local FIS engine's persisted state.</summary>
public sealed class LocalFisState
{
    /// <summary>Templates by id.</summary>
    public Dictionary<string, LocalFisTemplate> Templates { get; set; } = new();

    /// <summary>Experiments by id.</summary>
    public Dictionary<string, LocalFisExperiment> Experiments { get; set; } = new();

    /// <summary>Injected failures by template id.</summary>
    public Dictionary<string, LocalFisFailure> TemplateFailures { get; set; } = new();
}
