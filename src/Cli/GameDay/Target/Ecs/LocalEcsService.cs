using System.Globalization;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Cli.GameDay.Plan;
using ServerlessChaos.Orchestrator.Backends.Local;

namespace ServerlessChaos.Cli.GameDay.Target.Ecs;

/// <summary>
/// The sample API as an ECS service behind an Application Load Balancer, on 127.0.0.1: a desired count of tasks
/// (each an OS process of its own, the CLI's <c>sample-api</c> command, see <see cref="TaskProcess"/>: configured only
/// through environment variables, reading its wrapper settings over SSM from the game day's local endpoint, its
/// wrapper log lines going to the game day's wrapper log), a round-robin front that health-checks them, and a
/// scheduler that starts a replacement process after a stopped task.
/// As with ECS and an ALB, a task that dies is not taken out of the rotation at once: the front keeps routing to it
/// (its requests get the ALB's 502) until its health checks have failed <see cref="PlanService.UnhealthyThreshold"/>
/// times in a row; a new task gets traffic once it has passed as many checks. A running FIS experiment with
/// <see cref="LocalFisEngine.EcsStopTask"/> aimed at <see cref="ServiceName"/> stops one task, once per experiment:
/// its process tree is killed at once, as a stopped container's is.
/// </summary>
internal sealed class LocalEcsService : IAsyncDisposable
{
    /// <summary>The service as FIS targets it: <c>cluster/service</c>.</summary>
    public const string ServiceName = "local/sample-api";

    /// <summary>The tag the local stop-task template carries, so an experiment finds it with <c>templateTag</c>.</summary>
    public static readonly (string Key, string Value) TemplateTag = ("serverless-chaos:gameday", "ecs-stop-task");

    /// <summary>The local stop-task template's id.</summary>
    public const string TemplateId = "EXTlocalecsstoptask";

    private readonly PlanService settings;
    private readonly IReadOnlyList<KeyValuePair<string, string>> environment;
    private readonly TextWriter output;
    private readonly List<Task> replacements = [];
    private readonly Func<IReadOnlyList<(string ExperimentId, LocalFisAction Action)>> activeFisActions;
    private readonly TimeProvider clock;
    private readonly Action<string> tell;
    private readonly List<TaskHost> tasks = [];
    private readonly HashSet<string> handledExperiments = [];
    private readonly Lock gate = new();
    private readonly HttpClient forward;
    private readonly CancellationTokenSource stop = new();
    private LocalHttpServer? front;
    private Task? loop;
    private int next;
    private int taskNumber;

    private LocalEcsService(PlanService settings, IReadOnlyList<KeyValuePair<string, string>> environment, TextWriter output, Func<IReadOnlyList<(string, LocalFisAction)>> activeFisActions, TimeProvider clock, Action<string> tell)
    {
        this.settings = settings;
        this.environment = environment;
        this.output = output;
        this.activeFisActions = activeFisActions;
        this.clock = clock;
        this.tell = tell;
        forward = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = 256, AllowAutoRedirect = false })
        {
            Timeout = SampleTargetFactory.IntegrationTimeout,
        };
    }

    /// <summary>The front's base address: what users (the load generator, the probes) call.</summary>
    public Uri Address => front!.Address;

    /// <summary>How many tasks are serving or starting now.</summary>
    public int RunningTasks
    {
        get
        {
            lock (gate)
            {
                return tasks.Count(t => !t.Stopped);
            }
        }
    }

    /// <summary>The FIS template the game day registers for this service: one <c>aws:ecs:stop-task</c> action.</summary>
    /// <param name="duration">How long the FIS experiment runs (the stop happens at its start).</param>
    public static LocalFisTemplate StopTaskTemplate(TimeSpan duration) => new()
    {
        Id = TemplateId,
        Description = "Stop one task of the local sample service",
        Tags = { [TemplateTag.Key] = TemplateTag.Value },
        Actions = { new LocalFisAction { Name = "stop-one-task", ActionId = LocalFisEngine.EcsStopTask, Services = { ServiceName }, Duration = duration } },
    };

    /// <summary>Starts the task processes (in parallel) and the front, and waits until every task answers its health check.</summary>
    /// <param name="settings">Desired count, replacement delay, health checks.</param>
    /// <param name="environment">Each task process's environment (the SSM endpoint, its settings parameter, the inventory).</param>
    /// <param name="output">Gets every line the task processes write (the wrapper's log).</param>
    /// <param name="activeFisActions">The FIS actions running now, with their experiment.</param>
    /// <param name="clock">The clock.</param>
    /// <param name="tell">Told every task event, for the timeline.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    public static async Task<LocalEcsService> StartAsync(
        PlanService settings,
        IReadOnlyList<KeyValuePair<string, string>> environment,
        TextWriter output,
        Func<IReadOnlyList<(string, LocalFisAction)>> activeFisActions,
        TimeProvider clock,
        Action<string> tell,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var self = new LocalEcsService(settings, environment, output, activeFisActions, clock, tell);
        try
        {
            await Task.WhenAll(Enumerable.Range(0, settings.Tasks).Select(_ => self.StartTaskAsync(cancellationToken))).ConfigureAwait(false);
            using var checker = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await Task.WhenAll(self.Snapshot().Select(t => WaitHealthyAsync(checker, t, cancellationToken))).ConfigureAwait(false);
            self.front = await LocalHttpServer.StartAsync(self.RouteAsync, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await self.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        foreach (var task in self.Snapshot())
        {
            // Registered healthy at the start: the service was up before the game day.
            task.InRotation = true;
        }

        self.loop = self.RunAsync(self.stop.Token);
        return self;
    }

    /// <summary>Waits until a new task's <c>/health</c> answers 2xx (a process start takes a second or so).</summary>
    private static async Task WaitHealthyAsync(HttpClient checker, TaskHost task, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var reply = await checker.GetAsync(new Uri(task.Process.Address, "health"), ct).ConfigureAwait(false);
                if (reply.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
            {
                if (attempt >= 300)
                {
                    throw new CliException($"task {task.Number} of the local service on {task.Process.Address} never answered its health check: {ex.Message}");
                }
            }

            // Real time: this waits for an OS process, not for the game day's clock.
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct).ConfigureAwait(false);
        }
    }

    private List<TaskHost> Snapshot()
    {
        lock (gate)
        {
            return [.. tasks];
        }
    }

    private async Task StartTaskAsync(CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref taskNumber);
        var process = await TaskProcess.StartAsync(environment, output, cancellationToken).ConfigureAwait(false);
        var task = new TaskHost(number, process);
        lock (gate)
        {
            tasks.Add(task);
        }

        tell(string.Create(CultureInfo.InvariantCulture, $"task {task.Number} started on {process.Address} (process {process.ProcessId})"));
    }

    private async Task RouteAsync(HttpContext context)
    {
        TaskHost? task;
        lock (gate)
        {
            var serving = tasks.Where(t => t.InRotation).ToList();
            task = serving.Count == 0 ? null : serving[(int)((uint)next++ % (uint)serving.Count)];
        }

        if (task is null)
        {
            await AnswerAsync(context, StatusCodes.Status503ServiceUnavailable, "Service Unavailable").ConfigureAwait(false);
            return;
        }

        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(task.Process.Address, context.Request.Path.Value?.TrimStart('/') + context.Request.QueryString.Value));
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            request.Content = new StreamContent(context.Request.Body);
        }

        foreach (var (name, value) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!) && request.Content is not null)
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)value!);
            }
        }

        HttpResponseMessage reply;
        try
        {
            reply = await forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !context.RequestAborted.IsCancellationRequested))
        {
            // What an ALB answers when the target refuses or drops the connection.
            await AnswerAsync(context, StatusCodes.Status502BadGateway, "Bad Gateway").ConfigureAwait(false);
            return;
        }

        using (reply)
        {
            context.Response.StatusCode = (int)reply.StatusCode;
            foreach (var (name, values) in reply.Headers.Concat(reply.Content.Headers))
            {
                if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            try
            {
                await reply.Content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                // The task died mid-answer: the connection to the user is cut, as the ALB's would be.
                context.Abort();
            }
        }
    }

    private static Task AnswerAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        return context.Response.WriteAsync($"<html><body><h1>{status.ToString(CultureInfo.InvariantCulture)} {text}</h1></body></html>", context.RequestAborted);
    }

    private async Task RunAsync(CancellationToken ct)
    {
        using var checker = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.HealthCheckInterval, clock, ct).ConfigureAwait(false);
                await CarryOutFisActionsAsync().ConfigureAwait(false);
                await Task.WhenAll(Snapshot().Where(t => !t.Stopped || t.InRotation).Select(t => CheckAsync(checker, t, ct))).ConfigureAwait(false);
                ReplaceStoppedTasks(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CarryOutFisActionsAsync()
    {
        foreach (var (experimentId, action) in activeFisActions())
        {
            if (action.ActionId != LocalFisEngine.EcsStopTask || !action.Services.Contains(ServiceName, StringComparer.Ordinal))
            {
                continue;
            }

            lock (gate)
            {
                if (!handledExperiments.Add(experimentId))
                {
                    continue;
                }
            }

            var victim = Snapshot().Where(t => !t.Stopped).OrderBy(t => t.Number).FirstOrDefault();
            if (victim is null)
            {
                continue;
            }

            victim.Stopped = true;
            victim.StoppedAt = clock.GetUtcNow();
            await victim.Process.KillAsync().ConfigureAwait(false);
            tell(string.Create(CultureInfo.InvariantCulture, $"task {victim.Number} stopped by FIS experiment {experimentId} ({LocalFisEngine.EcsStopTask}); a replacement starts in {settings.ReplacementDelay.TotalSeconds:0.#} s"));
        }
    }

    private async Task CheckAsync(HttpClient checker, TaskHost task, CancellationToken ct)
    {
        bool healthy;
        try
        {
            using var reply = await checker.GetAsync(new Uri(task.Process.Address, "health"), ct).ConfigureAwait(false);
            healthy = reply.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            healthy = false;
        }

        task.Passed = healthy ? task.Passed + 1 : 0;
        task.Failed = healthy ? 0 : task.Failed + 1;
        if (task.InRotation && task.Failed >= settings.UnhealthyThreshold)
        {
            task.InRotation = false;
            tell(string.Create(CultureInfo.InvariantCulture, $"front: task {task.Number} failed {task.Failed} health checks in a row; no longer routed to"));
        }
        else if (!task.InRotation && !task.Stopped && task.Passed >= settings.UnhealthyThreshold)
        {
            task.InRotation = true;
            tell(string.Create(CultureInfo.InvariantCulture, $"front: task {task.Number} passed {task.Passed} health checks; routed to"));
        }
    }

    private void ReplaceStoppedTasks(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        foreach (var stopped in Snapshot().Where(t => t.Stopped && !t.Replaced && now - t.StoppedAt >= settings.ReplacementDelay))
        {
            stopped.Replaced = true;

            // In the background: the front keeps checking the others while the new process starts; it joins the
            // rotation once it has passed its health checks.
            var replacement = ReplaceAsync(ct);
            lock (gate)
            {
                replacements.Add(replacement);
            }
        }
    }

    private async Task ReplaceAsync(CancellationToken ct)
    {
        try
        {
            await StartTaskAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The game day ended first.
        }
        catch (CliException ex)
        {
            tell($"a replacement task did not start: {ex.Message}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(false);
        }

        if (front is not null)
        {
            await front.DisposeAsync().ConfigureAwait(false);
        }

        List<Task> starting;
        lock (gate)
        {
            starting = [.. replacements];
        }

        await Task.WhenAll(starting).ConfigureAwait(false);

        // Every task process, stopped ones too (already gone), killed and waited for: none outlives the game day.
        await Task.WhenAll(Snapshot().Select(t => t.Process.DisposeAsync().AsTask())).ConfigureAwait(false);

        forward.Dispose();
        stop.Dispose();
    }

    private sealed class TaskHost(int number, TaskProcess process)
    {
        public int Number { get; } = number;

        public TaskProcess Process { get; } = process;

        public volatile bool InRotation;

        public volatile bool Stopped;

        public bool Replaced;

        public DateTimeOffset StoppedAt;

        public int Passed;

        public int Failed;
    }
}
