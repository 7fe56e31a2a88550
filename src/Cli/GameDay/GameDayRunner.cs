using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Alarms;
using ServerlessChaos.Cli.GameDay.Load;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Cli.GameDay.Progress;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.GameDay.Target;
using Spectre.Console;

namespace ServerlessChaos.Cli.GameDay;

/// <summary>What a game day ended with.</summary>
/// <param name="Verdict">The verdict.</param>
/// <param name="Report">The report that was written.</param>
/// <param name="ReportDirectory">Where it was written.</param>
internal sealed record GameDayResult(Verdict Verdict, GameDayReport Report, string ReportDirectory);

/// <summary>
/// Runs one local game day: the sample API and its inventory service on 127.0.0.1, steady load, local alarms
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

    /// <summary>Reads the experiment file and checks that the game day can run it (valid, its wrapper faults aimed at what it serves, probes on this machine, a duration it can finish).</summary>
    public static JsonObject ReadExperiment(GameDayOptions options, out string text)
    {
        if (!File.Exists(options.ExperimentPath))
        {
            throw new CliException($"experiment file {options.ExperimentPath} does not exist");
        }

        text = File.ReadAllText(options.ExperimentPath);
        var resolved = text.Replace(GameDayOptions.SampleApiUrlPlaceholder, "http://127.0.0.1/", StringComparison.Ordinal);
        var typed = Orchestrator.Experiments.ExperimentParser.ParseFile(resolved, options.ExperimentPath);
        var problems = LocalRunRules.Problems(typed, options);
        if (problems.Count > 0)
        {
            throw new CliException($"{options.ExperimentPath} cannot run in a local game day:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}");
        }

        JsonObject experiment;
        try
        {
            experiment = JsonNode.Parse(resolved) as JsonObject
                ?? throw new CliException($"{options.ExperimentPath}: the experiment must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{options.ExperimentPath} is not valid JSON: {ex.Message}");
        }

        return experiment;
    }

    /// <summary>Runs the game day to its verdict and writes the report.</summary>
    public async Task<GameDayResult> RunAsync(CancellationToken cancellationToken)
    {
        var experiment = ReadExperiment(options, out var experimentText);
        var experimentName = experiment["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(options.ExperimentPath);
        var hypothesisAlarms = (experiment["hypothesis"]?["alarms"] as JsonArray)?.Select(a => a?.GetValue<string>() ?? string.Empty).ToList() ?? [];
        var undefined = hypothesisAlarms.Where(name => options.Alarms.All(a => a.Name != name)).ToList();
        if (undefined.Count > 0)
        {
            throw new CliException($"hypothesis.alarms names {string.Join(", ", undefined)}, which the local game day does not define (it defines {string.Join(", ", options.Alarms.Select(a => a.Name))})");
        }

        var durationSeconds = experiment["durationSeconds"]?.GetValue<int>() ?? 0;
        var recoveryWindowSeconds = experiment["hypothesis"]?["recoveryWindowSeconds"]?.GetValue<int>() ?? Orchestrator.Experiments.ExperimentDefaults.RecoveryWindowSeconds;
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
        controlPlane.ParameterChanged += (name, value) => tracker.Add("parameters", DescribeParameter(name, value));
        await using var inventory = await InventorySimulator.StartAsync(options.InventoryThinkTime, ct, clock).ConfigureAwait(false);
        using var reportFolder = ReportFolder.Claim(options.ReportDirectory);
        await using var wrapperLog = new WrapperLog(new StreamWriter(Path.Combine(options.ReportDirectory, "wrapper-log.jsonl")));
        var target = options.Target is null ? buildTarget(controlPlane, inventory.Address, clock, wrapperLog) : null;
        using var function = target?.Function;
        await using var api = target is not null ? await SampleApiServer.StartAsync(target.Handler, ct).ConfigureAwait(false) : null;
        await using var own = options.Target is { } spec ? await StartOwnServiceAsync(spec, controlPlane, ct).ConfigureAwait(false) : null;
        var address = api?.Address ?? own!.Address;
        tracker.Add("gameday", api is not null
            ? $"sample API on {api.Address}, inventory service on {inventory.Address}"
            : $"your service on {address}, reading {string.Join(", ", options.Target!.Parameters)} over SSM at {controlPlane.SsmEndpoint}");

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
            BaseAddress = address,
            Timeout = TimeSpan.FromSeconds(10),
        };
        var requestNumber = 0;
        var firstServed = 0;
        var load = new LoadGenerator(
            async token =>
            {
                var number = Interlocked.Increment(ref requestNumber);
                var next = options.LoadRequests[number % options.LoadRequests.Count];
                var path = next.Path.TrimStart('/').Replace("{n}", (number % 100).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                using var message = new HttpRequestMessage(new HttpMethod(next.Method), new Uri(path, UriKind.Relative));
                using var reply = await loadClient.SendAsync(message, token).ConfigureAwait(false);
                reply.Headers.TryGetValues(Wrapper.ChaosOptions.DefaultInjectedHeader, out var injected);
                reply.Headers.TryGetValues(SampleApiServer.RequestIdHeader, out var requestId);
                if (Interlocked.Exchange(ref firstServed, 1) == 0)
                {
                    tracker.Add("load", $"first request served: {(int)reply.StatusCode}");
                }

                return new LoadReply((int)reply.StatusCode, injected?.FirstOrDefault() ?? wrapperLog.FaultFor(requestId?.FirstOrDefault()));
            },
            log,
            clock,
            options.RatePerSecond,
            options.HardLimit);

        using var stopBackground = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loadTask = load.RunAsync(stopBackground.Token);
        tracker.Add("load", string.Create(CultureInfo.InvariantCulture, $"steady load started: {options.RatePerSecond:0.#} requests/s on {string.Join(", ", options.LoadRequests.Select(r => $"{r.Method} {r.Path}"))}"));
        var monitorTask = monitor.RunAsync(stopBackground.Token);
        var slowestPeriod = options.Alarms.Max(a => a.Period);
        var coolDownTime = options.CoolDown ?? slowestPeriod;
        var expectedEnd = tracker.StartedAt + slowestPeriod + TimeSpan.FromSeconds(durationSeconds + 2) + coolDownTime;
        LiveSnapshot Snapshot()
        {
            var now = clock.GetUtcNow();
            var phase = tracker.Current;
            if (phase == PhaseTracker.FaultInjection)
            {
                expectedEnd = tracker.CurrentSince + TimeSpan.FromSeconds(durationSeconds + 1) + coolDownTime;
            }
            else if (phase is PhaseTracker.Rollback or PhaseTracker.Recovery or PhaseTracker.Report)
            {
                // Verify waits at most the recovery window; usually the alarms are already OK.
                var bound = tracker.CurrentSince + TimeSpan.FromSeconds(recoveryWindowSeconds) + coolDownTime;
                expectedEnd = expectedEnd < bound ? expectedEnd : bound;
            }
            else if (phase == PhaseTracker.CoolDown)
            {
                expectedEnd = tracker.CurrentSince + coolDownTime;
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

        ExecutionOutcome outcome;
        var stateMachineStarted = false;
        try
        {
            await WaitForBaselineAsync(monitor, hypothesisAlarms, tracker, ct).ConfigureAwait(false);
            stateMachineStarted = true;
            var input = experimentText.Replace(GameDayOptions.SampleApiUrlPlaceholder, address.ToString().TrimEnd('/'), StringComparison.Ordinal);
            tracker.Add("gameday", $"starting the state machine with experiment {experimentName}");
            outcome = await controlPlane.RunAsync(input, step =>
            {
                tracker.StepInvoked(step);
                tracker.Add("state machine", $"invoked {step}");
            }, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome = new ExecutionOutcome("TIMED_OUT", null, "GameDay.TimedOut", $"the game day ran longer than {options.HardLimit.TotalMinutes:0} minutes");
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is OperationCanceledException or InvalidOperationException or CliException)
        {
            if (!stateMachineStarted)
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

        if (outcome.Status == "SUCCEEDED" && !ct.IsCancellationRequested)
        {
            var coolDown = options.CoolDown ?? options.Alarms.Max(a => a.Period);
            tracker.Enter(PhaseTracker.CoolDown);
            try
            {
                await Task.Delay(coolDown, clock, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Cut short by Ctrl+C or the hard limit: the verdict stands.
            }

            await monitor.EvaluateAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var endedAt = clock.GetUtcNow();
        await stopBackground.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loadTask, monitorTask, viewTask).ConfigureAwait(false);
        var deadLetters = controlPlane.DeadLetters();
        var (verdict, reason) = Judge(outcome, deadLetters);
        tracker.Add("gameday", $"verdict {verdict.Name()}: {reason}");
        var report = new GameDayReport
        {
            Experiment = experimentName,
            Description = experiment["description"]?.GetValue<string>(),
            Verdict = verdict,
            Reason = reason,
            StartedAt = tracker.StartedAt,
            EndedAt = endedAt,
            PhaseSummaries = GameDayReport.SummarizePhases(log, tracker.Phases, endedAt),
            Timeline = tracker.Timeline,
            Alarms = options.Alarms,
            AlarmTransitions = monitor.Transitions,
            Series = GameDayReport.BuildSeries(log, tracker.StartedAt, endedAt),
            Totals = log.Window(tracker.StartedAt, endedAt + TimeSpan.FromSeconds(1)),
            Journal = outcome.Output?["journal"] ?? outcome.Output,
            DeadLetters = deadLetters,
        };

        await ReportHtml.WriteAsync(report, Path.Combine(options.ReportDirectory, "report.html"), CancellationToken.None).ConfigureAwait(false);
        await ReportJson.WriteAsync(report, Path.Combine(options.ReportDirectory, "report.json"), CancellationToken.None).ConfigureAwait(false);
        await ReportMarkdown.WriteAsync(report, Path.Combine(options.ReportDirectory, "report.md"), CancellationToken.None).ConfigureAwait(false);
        await WriteSummaryAsync(report).ConfigureAwait(false);
        return new GameDayResult(verdict, report, options.ReportDirectory);
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

        var journal = outcome.Output["journal"] ?? outcome.Output;
        var verdictText = journal?["verdict"]?.GetValue<string>();
        var reasons = (journal?["reasons"] as JsonArray)?.Select(r => r?.GetValue<string>()).Where(r => !string.IsNullOrEmpty(r)).ToList() ?? [];
        var verdict = verdictText switch
        {
            "held" => Verdict.Held,
            "deviated" => Verdict.Deviated,
            _ => Verdict.Aborted,
        };
        var reason = reasons.Count > 0
            ? string.Join("; ", reasons)
            : verdict switch
            {
                Verdict.Held => "every hypothesis alarm stayed OK while the faults were on, and everything was rolled back",
                Verdict.Deviated => "the system did not behave as the hypothesis says",
                _ => $"the state machine reported verdict {verdictText ?? "(none)"}",
            };
        if (verdict == Verdict.Aborted && verdictText is not null and not "aborted")
        {
            reason = $"verdict {verdictText}: {reason}";
        }

        return (verdict, reason);
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

        tracker.Add("gameday", $"the alarms are not all OK after {options.MaxBaseline.TotalSeconds:0} s of baseline; starting anyway (preflight will refuse)");
    }

    private async Task WriteSummaryAsync(GameDayReport report)
    {
        var c = CultureInfo.InvariantCulture;
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(c, $"Verdict: {report.Verdict.Name()} (exit code {report.Verdict.ExitCode()}) — {report.Reason}")).ConfigureAwait(false);
        var t = report.Totals;
        await output.WriteLineAsync(string.Create(c, $"  {t.Count} requests in {(report.EndedAt - report.StartedAt).TotalSeconds:0} s: p50 {t.P50Ms:0} ms, p99 {t.P99Ms:0} ms, {t.ErrorRatePercent:0.0}% 5xx ({t.InjectedErrors} injected, {t.NotInjectedErrors} not injected: {t.NotInjectedErrorRatePercent:0.0}%), {t.Injected} injected faults")).ConfigureAwait(false);
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
