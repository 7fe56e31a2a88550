using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Load;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Cli.GameDay.Plan;
using ServerlessChaos.Cli.GameDay.Progress;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.GameDay.Target;
using ServerlessChaos.Cli.GameDay.Target.Ecs;
using ServerlessChaos.Orchestrator.Experiments;
using ServerlessChaos.Samples.SampleApi;
using Spectre.Console;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>What a game day ended with.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Report">The report that was written.</param>
/// <param name="ReportDirectory">Where it was written.</param>
internal sealed record GameDayResult(Verdict Verdict, GameDayReport Report, string ReportDirectory);

/// <summary>An experiment of the plan, checked and ready to run.</summary>
/// <param name="Experiment">The validated experiment.</param>
/// <param name="Text">Its JSON text, with <c>${SampleApiUrl}</c> still in it.</param>
internal sealed record PreparedExperiment(Orchestrator.Experiments.Experiment Experiment, string Text);

/// <summary>
/// Runs one local game day, a plan of experiments in order: the sample API and its inventory service on 127.0.0.1, steady load, local alarms
/// evaluated like CloudWatch's, the repository's state machine on the orchestrator's local runner, live progress,
/// and the report.
/// </summary>
internal sealed class GameDayRunner
{
    private readonly GameDayOptions options;
    private readonly TextWriter output;
    private readonly bool interactive;
    private readonly TimeProvider clock;
    private readonly Func<GameDayOptions, CancellationToken, Task<ILocalControlPlane>> startControlPlane;
    private readonly Func<ILocalControlPlane, Uri, TimeProvider, TextWriter, SampleTarget> buildTarget;

    /// <summary>Creates the runner.</summary>
    /// <param name="options">The game day's settings.</param>
    /// <param name="output">Where progress and the summary go.</param>
    /// <param name="interactive">Whether <paramref name="output"/> is a terminal (live panel) or not (plain lines).</param>
    /// <param name="clock">The clock.</param>
    /// <param name="startControlPlane">Starts the local control plane.</param>
    /// <param name="buildTarget">Builds the wrapper-decorated sample API over the control plane's parameter store (inventory address, clock, wrapper log).</param>
    public GameDayRunner(
        GameDayOptions options,
        TextWriter output,
        bool interactive,
        TimeProvider clock,
        Func<GameDayOptions, CancellationToken, Task<ILocalControlPlane>> startControlPlane,
        Func<ILocalControlPlane, Uri, TimeProvider, TextWriter, SampleTarget> buildTarget)
    {
        this.options = options;
        this.output = output;
        this.interactive = interactive;
        this.clock = clock;
        this.startControlPlane = startControlPlane;
        this.buildTarget = buildTarget;
    }

    /// <summary>What an interrupt before the state machine started says.</summary>
    public const string InterruptedBeforeStart = "interrupted before the state machine started: nothing was armed";

    /// <summary>The longest the rollback after an interrupt or a timeout may take.</summary>
    public static readonly TimeSpan RollbackBound = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Reads one experiment of the plan and checks that the game day can run it (valid, its wrapper faults aimed at
    /// what it serves, probes on this machine, a duration it can finish, its hypothesis alarms defined).
    /// </summary>
    public static PreparedExperiment ReadExperiment(PlanExperiment source, GameDayOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        var resolved = source.Text.Replace(GameDayOptions.SampleApiUrlPlaceholder, "http://127.0.0.1/", StringComparison.Ordinal);
        var typed = Orchestrator.Experiments.ExperimentParser.ParseFile(resolved, source.Source);
        var problems = LocalRunRules.Problems(typed, options);
        if (problems.Count > 0)
        {
            throw new CliException($"{source.Source} cannot run in a local game day:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }

        var undefined = typed.Hypothesis.Alarms.Where(name => options.Alarms.All(a => a.Name != name)).ToList();
        if (undefined.Count > 0)
        {
            throw new CliException($"{source.Source}: hypothesis.alarms names {string.Join(", ", undefined)}, which the local game day does not define (it defines {string.Join(", ", options.Alarms.Select(a => a.Name))})");
        }

        return new PreparedExperiment(typed, source.Text);
    }

    /// <summary>Runs every experiment of the plan to its verdict and writes one report.</summary>
    public async Task<GameDayResult> RunAsync(CancellationToken cancellationToken)
    {
        var plan = options.Plan;
        var experiments = plan.Experiments.Select(e => ReadExperiment(e, options)).ToList();
        if (LocalRunRules.PlanProblem([.. experiments.Select(e => e.Experiment)], options) is { } tooLong)
        {
            throw new CliException($"{plan.Source} cannot run in a local game day:{Environment.NewLine}  {tooLong}");
        }

        using var hardLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        hardLimit.CancelAfter(options.HardLimit);
        var ct = hardLimit.Token;

        await options.Assets.EnsureNodeToolsAsync(output, ct).ConfigureAwait(false);
        IProgressView view = interactive
            ? new TerminalProgressView(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }))
            : new PlainProgressView(output, options.PlainStatusInterval, clock);
        var tracker = new PhaseTracker(clock, view.Event);
        var log = new RequestLog();

        await using var controlPlane = await startControlPlane(options, ct).ConfigureAwait(false);
        // Your own service reads its settings only over SSM: when it has read an arm (or a rollback) goes to the timeline.
        var pickup = options.Target is { } own ? new SettingsPickup(own.Parameters, clock, text => tracker.Add("service", text)) : null;
        controlPlane.ParameterChanged += (name, value) =>
        {
            tracker.Add("parameters", DescribeParameter(name, value));
            pickup?.Written(name, value);
        };
        if (pickup is not null)
        {
            controlPlane.ParameterReadOverSsm += pickup.Read;
        }

        await using var inventory = await InventorySimulator.StartAsync(options.InventoryThinkTime, ct, clock).ConfigureAwait(false);
        using var reportFolder = ReportFolder.Claim(options.ReportDirectory);
        await using var wrapperLog = new WrapperLog(new StreamWriter(Path.Combine(options.ReportDirectory, "wrapper-log.jsonl")));
        await using var api = await ServeAsync(controlPlane, inventory.Address, wrapperLog, tracker, experiments, ct).ConfigureAwait(false);
        tracker.Add("gameday", $"{api.Description}, inventory service on {inventory.Address}");

        var alarmsCreated = false;
        var monitor = new AlarmMonitor(options.Alarms, log, clock, tracker.StartedAt, async (name, state, reason, token) =>
        {
            var alarm = options.Alarms.First(a => a.Name == name);
            await controlPlane.SetAlarmAsync(alarm, state, reason, token).ConfigureAwait(false);
            if (alarmsCreated)
            {
                tracker.Add("alarm", $"{name} → {state.ToWire()}: {reason}");
            }
        });
        await monitor.PublishInitialAsync(ct).ConfigureAwait(false);
        alarmsCreated = true;

        using var loadClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256 })
        {
            BaseAddress = api.Address,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var requestNumber = 0;
        var firstServed = 0;
        var load = new LoadGenerator(
            async token =>
            {
                var number = Interlocked.Increment(ref requestNumber);
                var planned = options.Requests[number % options.Requests.Count];
                var path = planned.Path.Replace("{n}", (number % 100).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).TrimStart('/');
                using var request = new HttpRequestMessage(new HttpMethod(planned.Method), new Uri(path, UriKind.Relative));
                using var reply = await loadClient.SendAsync(request, token).ConfigureAwait(false);
                reply.Headers.TryGetValues(Wrapper.ChaosOptions.DefaultInjectedHeader, out var injected);
                reply.Headers.TryGetValues(Wrapper.ChaosOptions.DefaultDryRunHeader, out var wouldInject);
                reply.Headers.TryGetValues(SampleApiServer.RequestIdHeader, out var requestId);
                if (Interlocked.Exchange(ref firstServed, 1) == 0)
                {
                    tracker.Add("load", $"first request served: {(int)reply.StatusCode}");
                }

                return new LoadReply((int)reply.StatusCode, injected?.FirstOrDefault() ?? wrapperLog.FaultFor(requestId?.FirstOrDefault()), wouldInject?.FirstOrDefault() ?? wrapperLog.DryRunFaultFor(requestId?.FirstOrDefault()));
            },
            log,
            clock,
            options.RatePerSecond,
            options.HardLimit);

        using var stopBackground = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loadTask = load.RunAsync(stopBackground.Token);
        tracker.Add("load", string.Create(CultureInfo.InvariantCulture, $"steady load started: {options.RatePerSecond:0.#} requests/s on {string.Join(", ", options.Requests.Select(r => $"{r.Method} {r.Path}"))}"));
        var monitorTask = monitor.RunAsync(stopBackground.Token);
        var slowestPeriod = options.Alarms.Max(a => a.Period);
        // Every wrapper of the game day (in-process, task processes, your own service) reads its settings every
        // SettingsTtl, so it sees a rollback up to a read later: the cool-down lasts at least two of those reads, so
        // nothing injected after the rollback is counted in the next experiment.
        var settingsLag = 2 * GameDayOptions.SettingsTtl;
        var coolDownTime = options.CoolDown ?? slowestPeriod;
        coolDownTime = coolDownTime > settingsLag ? coolDownTime : settingsLag;
        var current = experiments[0].Experiment;
        var expectedEnd = tracker.StartedAt + slowestPeriod + experiments.Aggregate(TimeSpan.Zero, (sum, e) => sum + TimeSpan.FromSeconds(e.Experiment.DurationSeconds + 2) + coolDownTime);
        LiveSnapshot Snapshot()
        {
            var now = clock.GetUtcNow();
            var phase = tracker.Current;
            var later = experiments.SkipWhile(e => e.Experiment != current).Skip(1).Aggregate(TimeSpan.Zero, (sum, e) => sum + TimeSpan.FromSeconds(e.Experiment.DurationSeconds + 6) + coolDownTime);
            if (phase == PhaseTracker.FaultInjection)
            {
                expectedEnd = tracker.CurrentSince + TimeSpan.FromSeconds(current.DurationSeconds + 1) + coolDownTime + later;
            }
            else if (phase is PhaseTracker.Rollback or PhaseTracker.Recovery or PhaseTracker.Report)
            {
                // Verify waits at most the recovery window; usually the alarms are already OK.
                var bound = tracker.CurrentSince + TimeSpan.FromSeconds(current.Hypothesis.RecoveryWindowSeconds) + coolDownTime + later;
                expectedEnd = expectedEnd < bound ? expectedEnd : bound;
            }
            else if (phase == PhaseTracker.CoolDown)
            {
                expectedEnd = tracker.CurrentSince + coolDownTime + later;
            }

            var remaining = expectedEnd - now;
            return new LiveSnapshot(
                tracker.Current,
                now - tracker.StartedAt,
                remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero,
                log.Window(now - TimeSpan.FromSeconds(1), now).Count,
                log.Window(now - TimeSpan.FromSeconds(5), now),
                monitor.States);
        }

        var viewTask = view.RunAsync(Snapshot, stopBackground.Token);
        var sections = new List<GameDayReport>();
        var deadLettersSeen = 0;
        foreach (var prepared in experiments)
        {
            var experiment = prepared.Experiment;
            if (ct.IsCancellationRequested && sections.Count == 0 && cancellationToken.IsCancellationRequested)
            {
                // A signal while still setting up (after the load started, before the first baseline): nothing was armed
                // and nothing ran, as when it comes during the first baseline wait.
                throw new CliInterruptedException(InterruptedBeforeStart);
            }

            if (ct.IsCancellationRequested)
            {
                // Interrupted or out of time: the rest did not run.
                var now = clock.GetUtcNow();
                sections.Add(Section(prepared, Verdict.Aborted, cancellationToken.IsCancellationRequested ? "not run: the game day was interrupted" : "not run: the game day ran out of time", now, now, log, tracker, monitor, null, []));
                continue;
            }

            current = experiment;
            var startedAt = sections.Count == 0 ? tracker.StartedAt : clock.GetUtcNow();
            tracker.Enter(PhaseTracker.Baseline);
            tracker.Add("gameday", string.Create(CultureInfo.InvariantCulture, $"experiment {sections.Count + 1} of {experiments.Count}: {experiment.Name}"));
            var outcome = await RunOneAsync(prepared, sections.Count == 0, api.Address, controlPlane, monitor, tracker, cancellationToken, ct).ConfigureAwait(false);
            if (outcome.Status == "SUCCEEDED" && !ct.IsCancellationRequested)
            {
                tracker.Enter(PhaseTracker.CoolDown);
                try
                {
                    await Task.Delay(coolDownTime, clock, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Cut short by Ctrl+C or the hard limit: the verdict stands.
                }

                await monitor.EvaluateAsync(CancellationToken.None).ConfigureAwait(false);
            }

            var all = controlPlane.DeadLetters();
            var deadLetters = all.Skip(deadLettersSeen).ToList();
            deadLettersSeen = all.Count;
            var (verdict, reason) = Judge(outcome, deadLetters);
            if (verdict != Verdict.Aborted && pickup?.Unread(startedAt) is { Count: > 0 } unread)
            {
                (verdict, reason) = (Verdict.Aborted, NotReached(unread, verdict, reason, controlPlane.SsmEndpoint));
            }

            tracker.Add("gameday", $"experiment {experiment.Name}: verdict {verdict.Name()}: {reason}");
            sections.Add(Section(prepared, verdict, reason, startedAt, clock.GetUtcNow(), log, tracker, monitor, outcome.Output?["journal"] ?? outcome.Output, deadLetters));
        }

        var endedAt = clock.GetUtcNow();
        await stopBackground.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loadTask, monitorTask, viewTask).ConfigureAwait(false);
        var single = sections.Count == 1 && plan.Experiments.Count == 1 && plan.Source == plan.Experiments[0].Source;
        var overall = Verdicts.Worst(sections.Select(s => s.Verdict));
        var overallReason = single ? sections[0].Reason : PlanReason(sections, overall);
        if (!single)
        {
            tracker.Add("gameday", $"plan {plan.Name}: verdict {overall.Name()}: {overallReason}");
        }

        var report = new GameDayReport
        {
            Experiment = single ? sections[0].Experiment : plan.Name,
            Plan = single ? null : plan.Name,
            Description = single ? sections[0].Description : plan.Description,
            Verdict = overall,
            Reason = overallReason,
            StartedAt = tracker.StartedAt,
            EndedAt = endedAt,
            PhaseSummaries = GameDayReport.SummarizePhases(log, tracker.Phases, endedAt),
            Timeline = tracker.Timeline,
            Alarms = options.Alarms,
            AlarmTransitions = monitor.Transitions,
            Series = GameDayReport.BuildSeries(log, tracker.StartedAt, endedAt),
            Totals = log.Window(tracker.StartedAt, endedAt + TimeSpan.FromSeconds(1)),
            Journal = single ? sections[0].Journal : null,
            DeadLetters = controlPlane.DeadLetters(),
            Experiments = sections,
        };

        await ReportHtml.WriteAsync(report, Path.Combine(options.ReportDirectory, "report.html"), CancellationToken.None).ConfigureAwait(false);
        await ReportJson.WriteAsync(report, Path.Combine(options.ReportDirectory, "report.json"), CancellationToken.None).ConfigureAwait(false);
        await ReportMarkdown.WriteAsync(report, Path.Combine(options.ReportDirectory, "report.md"), CancellationToken.None).ConfigureAwait(false);
        await WriteSummaryAsync(report).ConfigureAwait(false);
        return new GameDayResult(overall, report, options.ReportDirectory);
    }

    /// <summary>A plan's reason: how many experiments ended how, and the reason of each that did not hold.</summary>
    internal static string PlanReason(IReadOnlyList<GameDayReport> sections, Verdict overall)
    {
        var counts = string.Join(", ", Enum.GetValues<Verdict>().Select(v => (v, n: sections.Count(s => s.Verdict == v))).Where(x => x.n > 0).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.n} {x.v.Name()}")));
        var worst = sections.Where(s => s.Verdict != Verdict.Held).Select(s => $"{s.Experiment} {s.Verdict.Name()}: {s.Reason}").ToList();
        return overall == Verdict.Held
            ? string.Create(CultureInfo.InvariantCulture, $"all {sections.Count} experiments held")
            : $"{counts} — {string.Join("; ", worst)}";
    }

    private GameDayReport Section(PreparedExperiment prepared, Verdict verdict, string reason, DateTimeOffset from, DateTimeOffset to, RequestLog log, PhaseTracker tracker, AlarmMonitor monitor, JsonNode? journal, IReadOnlyList<JsonNode> deadLetters)
    {
        var phases = tracker.Phases.Where(p => p.StartedAt >= from && p.StartedAt < to).ToList();
        return new GameDayReport
        {
            Experiment = prepared.Experiment.Name,
            Description = prepared.Experiment.Description,
            Verdict = verdict,
            Reason = reason,
            StartedAt = from,
            EndedAt = to,
            PhaseSummaries = GameDayReport.SummarizePhases(log, phases, to),
            Timeline = [.. tracker.Timeline.Where(e => e.At >= from && e.At < to)],
            Alarms = options.Alarms,
            AlarmTransitions = [.. monitor.Transitions.Where(t => t.At >= from && t.At < to)],
            Series = [],
            Totals = log.Window(from, to),
            Journal = journal,
            DeadLetters = deadLetters,
        };
    }

    /// <summary>The state machine on one experiment: steady state first, then its run, and a rollback shown when it was cut short.</summary>
    private async Task<ExecutionOutcome> RunOneAsync(PreparedExperiment prepared, bool first, Uri api, ILocalControlPlane controlPlane, AlarmMonitor monitor, PhaseTracker tracker, CancellationToken interrupt, CancellationToken ct)
    {
        ExecutionOutcome outcome;
        var stateMachineStarted = false;
        try
        {
            await WaitForBaselineAsync(monitor, prepared.Experiment.Hypothesis.Alarms, tracker, ct).ConfigureAwait(false);
            stateMachineStarted = true;
            var input = prepared.Text.Replace(GameDayOptions.SampleApiUrlPlaceholder, api.ToString().TrimEnd('/'), StringComparison.Ordinal);
            tracker.Add("gameday", $"starting the state machine with experiment {prepared.Experiment.Name}");
            outcome = await controlPlane.RunAsync(input, step =>
            {
                tracker.StepInvoked(step);
                tracker.Add("state machine", $"invoked {step}");
            }, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!interrupt.IsCancellationRequested)
        {
            outcome = new ExecutionOutcome("TIMED_OUT", null, "GameDay.TimedOut", $"the game day ran longer than {options.HardLimit.TotalMinutes:0} minutes");
        }
        catch (Exception ex) when (interrupt.IsCancellationRequested && ex is OperationCanceledException or InvalidOperationException or CliException)
        {
            if (!stateMachineStarted && first)
            {
                // Nothing was armed and nothing ran: an interrupt, as for any command (130, or 143 for SIGTERM), not an aborted experiment.
                throw new CliInterruptedException(InterruptedBeforeStart);
            }

            // A signal: Node may have had it too (Ctrl-C goes to the whole group) and ended; the rollback below does not need it.
            outcome = new ExecutionOutcome("ABORTED", null, "GameDay.Interrupted", "the game day was interrupted");
        }

        if (outcome.Status is "ABORTED" or "TIMED_OUT")
        {
            // The execution did not get to its own rollback: stop it and roll back from its ledger, and show it.
            tracker.Enter(PhaseTracker.Rollback);
            using var bound = new CancellationTokenSource(RollbackBound);
            var rolledBack = await controlPlane.StopAndRollBackAsync(bound.Token).ConfigureAwait(false);
            tracker.Add("gameday", rolledBack);
            outcome = outcome with { Cause = $"{outcome.Cause}; {rolledBack}" };
        }

        return outcome;
    }

    /// <summary>
    /// Serves the sample API: as one listener, or, when the plan asks for a service, as a local ECS-style service
    /// with the FIS template that stops one of its tasks.
    /// </summary>
    private async Task<ServedApi> ServeAsync(ILocalControlPlane controlPlane, Uri inventory, WrapperLog wrapperLog, PhaseTracker tracker, IReadOnlyList<PreparedExperiment> experiments, CancellationToken ct)
    {
        if (options.Target is { } spec)
        {
            var own = await StartOwnServiceAsync(spec, controlPlane, ct).ConfigureAwait(false);
            return new ServedApi(own.Address, $"your service on {own.Address}, reading {string.Join(", ", spec.Parameters)} over SSM at {controlPlane.SsmEndpoint}", own.DisposeAsync);
        }

        if (options.Service is { } service)
        {
            var longest = experiments.Max(e => e.Experiment.DurationSeconds);
            controlPlane.AddFisTemplate(LocalEcsService.StopTaskTemplate(TimeSpan.FromSeconds(Math.Max(1, longest - 2))));
            var ssm = controlPlane.SsmEndpoint ?? throw new CliException("the local control plane does not serve SSM, so the local service's tasks cannot read their settings");
            var environment = (IReadOnlyList<KeyValuePair<string, string>>)[.. TargetSpec.ServiceEnvironment(ssm, SampleTargetFactory.Parameter), new(SampleApiFunction.InventoryUrlVariable, inventory.AbsoluteUri)];
            var ecs = await LocalEcsService.StartAsync(service, environment, wrapperLog, controlPlane.ActiveFisActions, clock, text => tracker.Add("ecs", text), ct).ConfigureAwait(false);
            return new ServedApi(ecs.Address, string.Create(CultureInfo.InvariantCulture, $"sample service on {ecs.Address} ({service.Tasks} tasks behind a round-robin front)"), ecs.DisposeAsync);
        }

        var target = buildTarget(controlPlane, inventory, clock, wrapperLog);
        var api = await SampleApiServer.StartAsync(target.Handler, ct).ConfigureAwait(false);
        return new ServedApi(api.Address, $"sample API on {api.Address}", async () =>
        {
            await api.DisposeAsync().ConfigureAwait(false);
            target.Function.Dispose();
        });
    }

    /// <summary>The sample API as this game day serves it.</summary>
    private sealed record ServedApi(Uri Address, string Description, Func<ValueTask> Stop) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Stop();
    }

    /// <summary>
    /// The verdict of an execution: the journal's verdict when it succeeded, otherwise aborted, with the reason the
    /// dead-letter messages give (a preflight refusal, a failed step), not only the Fail state's pointer to them.
    /// </summary>
    internal static (Verdict Verdict, string Reason) Judge(ExecutionOutcome outcome, IReadOnlyList<JsonNode>? deadLetters = null)
    {
        if (outcome.Status != "SUCCEEDED" || outcome.Output is null)
        {
            var why = (deadLetters ?? []).Select(DeadLetterReason).Where(r => r is not null).ToList();
            return (Verdict.Aborted, why.Count > 0
                ? $"the state machine ended {outcome.Status}: {string.Join("; ", why)}"
                : $"the state machine ended {outcome.Status}: {outcome.Error} {outcome.Cause}".Trim());
        }

        return Verdicts.FromJournal(outcome.Output["journal"] ?? outcome.Output);
    }

    /// <summary>
    /// The reason of an experiment whose armed settings your service never read while they were armed: no wrapper
    /// fault reached it, so the state machine's verdict says nothing about them.
    /// </summary>
    internal static string NotReached(IReadOnlyList<UnreadArm> unread, Verdict verdict, string reason, Uri? ssm)
    {
        var names = string.Join(", ", unread.Select(u => u.Parameter).Distinct(StringComparer.Ordinal));
        var armedFor = unread.Max(u => u.ArmedFor).TotalSeconds;
        return string.Create(CultureInfo.InvariantCulture, $"your service never read the armed settings of {names} in the {armedFor:0.0} s they were armed, so no wrapper fault reached it and the hypothesis was not tested (the state machine's verdict: {verdict.Name()}, {reason}); check that it reads {names} from {ssm?.AbsoluteUri.TrimEnd('/') ?? "the game day's SSM endpoint"} ({Wrapper.Sources.Ssm.SsmParametersReader.EndpointVariable}, {ChaosConventions.ParameterVariable}) and re-reads within a second ({Wrapper.EnvironmentControls.IdleTtlVariable}), or give the experiment a longer durationSeconds");
    }

    /// <summary>What a dead-letter message says went wrong: the failed step's error type and message.</summary>
    internal static string? DeadLetterReason(JsonNode? message)
    {
        if (message?["error"] is not JsonObject error)
        {
            return null;
        }

        var name = error["Error"]?.GetValue<string>();
        var cause = error["Cause"]?.GetValue<string>();
        try
        {
            // A Lambda error's Cause is its payload: {"errorType","errorMessage",...}.
            if (cause is not null && JsonNode.Parse(cause) is JsonObject payload && payload["errorMessage"]?.GetValue<string>() is { } text)
            {
                cause = text;
            }
        }
        catch (JsonException)
        {
            // A plain-text cause is already the message.
        }

        return $"{name}: {cause}";
    }

    private static string DescribeParameter(string name, string? value)
    {
        if (value is null)
        {
            return $"{name} deleted";
        }

        var parsed = ServerlessChaos.Wrapper.Settings.ChaosSettings.Parse(value);
        if (parsed.Settings is { Enabled: true } settings)
        {
            return $"{name} armed: {string.Join("; ", settings.Faults.Select(Operator.SettingsDescription.Describe))}";
        }

        return parsed.IsValid ? $"{name} disarmed" : $"{name} set";
    }

    /// <summary>Says which environment variables your service needs (and gives them to a command it starts), then starts or checks it.</summary>
    private async Task<OwnService> StartOwnServiceAsync(TargetSpec spec, ILocalControlPlane controlPlane, CancellationToken ct)
    {
        var ssm = controlPlane.SsmEndpoint ?? throw new CliException("the local control plane does not serve SSM, so your service cannot read its settings");
        var environment = spec.ServiceEnvironment(ssm);
        await output.WriteLineAsync(spec.Command is null
            ? "Your service must run with these environment variables (it reads the armed settings from this game day over SSM):"
            : $"Starting your service ({spec.Command.File}) with these environment variables (it reads the armed settings from this game day over SSM):").ConfigureAwait(false);
        foreach (var (name, value) in environment)
        {
            await output.WriteLineAsync($"  {name}={value}").ConfigureAwait(false);
        }

        await output.FlushAsync(ct).ConfigureAwait(false);
        return await OwnService.StartAsync(spec, environment, options.ReportDirectory, ct).ConfigureAwait(false);
    }

    private async Task WaitForBaselineAsync(AlarmMonitor monitor, IReadOnlyList<string> alarms, PhaseTracker tracker, CancellationToken ct)
    {
        // Preflight wants every hypothesis alarm OK, so the experiment starts once the first datapoints say so.
        var deadline = clock.GetUtcNow() + options.MaxBaseline;
        while (clock.GetUtcNow() < deadline)
        {
            var states = monitor.States;
            if (alarms.All(a => states.GetValueOrDefault(a) == AlarmState.Ok))
            {
                tracker.Add("gameday", "steady state reached: every hypothesis alarm is OK");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), clock, ct).ConfigureAwait(false);
        }

        tracker.Add("gameday", $"the alarms are not all OK after {options.MaxBaseline.TotalSeconds:0} s; starting anyway (preflight will refuse)");
    }

    private async Task WriteSummaryAsync(GameDayReport report)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(c, $"Verdict: {report.Verdict.Name()} (exit code {report.Verdict.ExitCode()}) — {report.Reason}")).ConfigureAwait(false);
        var t = report.Totals;
        await output.WriteLineAsync(string.Create(c, $"  {t.Count} requests in {(report.EndedAt - report.StartedAt).TotalSeconds:0} s: p50 {t.P50Ms:0} ms, p99 {t.P99Ms:0} ms, {t.ErrorRatePercent:0.0}% 5xx ({t.InjectedErrors} injected, {t.NotInjectedErrors} not injected: {t.NotInjectedErrorRatePercent:0.0}%), {t.Injected} injected faults{(t.WouldInject > 0 ? $", {t.WouldInject} a dry run would have injected" : "")}")).ConfigureAwait(false);
        if (report.Plan is not null)
        {
            for (var i = 0; i < report.Experiments.Count; i++)
            {
                var e = report.Experiments[i];
                var s = e.Totals;
                await output.WriteLineAsync(string.Create(c, $"  {i + 1}. {e.Experiment}: {e.Verdict.Name()} — {e.Reason} ({s.Count} requests, {s.ServerErrors} 5xx: {s.InjectedErrors} injected, {s.NotInjectedErrors} not injected)")).ConfigureAwait(false);
            }
        }
        foreach (var alarm in report.Alarms)
        {
            var changes = report.AlarmTransitions.Where(t => t.Alarm == alarm.Name).ToList();
            var final = changes.LastOrDefault()?.To ?? AlarmState.InsufficientData;
            var fired = changes.Count(t => t.To == AlarmState.Alarm);
            await output.WriteLineAsync(string.Create(c, $"  alarm {alarm.Name}: {final.ToWire()} at the end, in ALARM {fired} time(s)")).ConfigureAwait(false);
        }

        foreach (var letter in report.DeadLetters)
        {
            await output.WriteLineAsync($"  dead letter: {DeadLetterReason(letter) ?? letter.ToJsonString()}").ConfigureAwait(false);
        }

        await output.WriteLineAsync($"Report: {Path.Combine(options.ReportDirectory, "report.html")} (also report.json, report.md)").ConfigureAwait(false);
        await output.FlushAsync().ConfigureAwait(false);
    }
}

/// <summary>The sample API as the game day serves it.</summary>
/// <param name="Handler">The wrapper-decorated handler.</param>
/// <param name="Function">What to dispose when the game day ends.</param>
internal sealed record SampleTarget(Func<ServerlessChaos.Samples.SampleApi.ApiGateway.APIGatewayProxyRequest, CancellationToken, Task<ServerlessChaos.Samples.SampleApi.ApiGateway.APIGatewayProxyResponse>> Handler, IDisposable Function);
