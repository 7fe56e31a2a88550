using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Tests.Support;

/// <summary>
/// Wraps backends so a test can make a named operation fail during a named step, a given number of
/// times, and see which operations every step called.
/// </summary>
public sealed class FaultInjector
{
    private readonly object gate = new();
    private readonly List<Rule> rules = new();
    private readonly List<(string Step, string Operation)> calls = new();

    /// <summary>The step being invoked (set by the harness before each invocation).</summary>
    public string Step { get; set; } = "";

    public IReadOnlyList<(string Step, string Operation)> Calls
    {
        get
        {
            lock (gate)
            {
                return calls.ToList();
            }
        }
    }

    /// <summary>
    /// Fails <paramref name="operation"/> (e.g. "parameters.Put") during <paramref name="step"/>, <paramref name="times"/> times:
    /// transiently, or with <paramref name="permanentError"/> (e.g. "AccessDeniedException") as AWS refuses for good.
    /// </summary>
    public void Fail(string step, string operation, int times = int.MaxValue, Func<string?, bool>? when = null, string? permanentError = null)
    {
        lock (gate)
        {
            rules.Add(new Rule(step, operation, when, permanentError) { Remaining = times });
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            rules.Clear();
        }
    }

    public ControlPlaneBackends Wrap(ControlPlaneBackends inner) => new(
        new Parameters(this, inner.Parameters),
        new Alarms(this, inner.Alarms),
        new Fis(this, inner.Fis),
        new DeadLetters(this, inner.DeadLetters),
        new Probes(this, inner.Probes));

    private void Check(string operation, string? subject = null)
    {
        Rule? rule;
        lock (gate)
        {
            calls.Add((Step, operation));
            rule = rules.FirstOrDefault(r => r.Step == Step && r.Operation == operation && r.Remaining > 0 && (r.When?.Invoke(subject) ?? true));
            if (rule is null)
            {
                return;
            }

            rule.Remaining--;
        }

        var dot = operation.IndexOf('.');
        throw new BackendException(operation[..dot], operation[(dot + 1)..], $"injected {rule.PermanentError ?? "failure"} during {Step}", errorCode: rule.PermanentError, transient: rule.PermanentError is null);
    }

    private sealed record Rule(string Step, string Operation, Func<string?, bool>? When, string? PermanentError)
    {
        public int Remaining { get; set; }
    }

    private sealed class Parameters(FaultInjector f, IParameterStore inner) : IParameterStore
    {
        public Task<StoredParameter?> GetAsync(string name, CancellationToken ct)
        {
            f.Check("parameters.Get", name);
            return inner.GetAsync(name, ct);
        }

        public Task<IReadOnlyList<StoredParameter>> ListAsync(string path, CancellationToken ct)
        {
            f.Check("parameters.List", path);
            return inner.ListAsync(path, ct);
        }

        public Task PutAsync(StoredParameter parameter, CancellationToken ct)
        {
            f.Check("parameters.Put", parameter.Name);
            return inner.PutAsync(parameter, ct);
        }

        public Task DeleteAsync(string name, CancellationToken ct)
        {
            f.Check("parameters.Delete", name);
            return inner.DeleteAsync(name, ct);
        }
    }

    private sealed class Alarms(FaultInjector f, IAlarmSource inner) : IAlarmSource
    {
        public Task<IReadOnlyList<AlarmStatus>> DescribeAsync(IReadOnlyList<string> names, CancellationToken ct)
        {
            f.Check("alarms.Describe");
            return inner.DescribeAsync(names, ct);
        }
    }

    private sealed class Fis(FaultInjector f, IFisService inner) : IFisService
    {
        public Task<bool> TemplateExistsAsync(string templateId, CancellationToken ct)
        {
            f.Check("fis.TemplateExists");
            return inner.TemplateExistsAsync(templateId, ct);
        }

        public Task<IReadOnlyList<string>> FindTemplatesByTagAsync(string key, string value, CancellationToken ct)
        {
            f.Check("fis.FindTemplatesByTag");
            return inner.FindTemplatesByTagAsync(key, value, ct);
        }

        public Task<string> StartExperimentAsync(FisStartRequest request, CancellationToken ct)
        {
            f.Check("fis.StartExperiment");
            return inner.StartExperimentAsync(request, ct);
        }

        public Task<FisExperimentStatus> GetExperimentAsync(string experimentId, CancellationToken ct)
        {
            f.Check("fis.GetExperiment");
            return inner.GetExperimentAsync(experimentId, ct);
        }

        public Task<IReadOnlyList<string>> FindExperimentsByTagAsync(string key, string value, CancellationToken ct)
        {
            f.Check("fis.FindExperimentsByTag");
            return inner.FindExperimentsByTagAsync(key, value, ct);
        }

        public Task StopExperimentAsync(string experimentId, CancellationToken ct)
        {
            f.Check("fis.StopExperiment");
            return inner.StopExperimentAsync(experimentId, ct);
        }
    }

    private sealed class DeadLetters(FaultInjector f, IDeadLetterQueue inner) : IDeadLetterQueue
    {
        public Task<string> SendAsync(string body, CancellationToken ct)
        {
            f.Check("deadLetters.Send");
            return inner.SendAsync(body, ct);
        }
    }

    private sealed class Probes(FaultInjector f, IProbeRunner inner) : IProbeRunner
    {
        public Task<ProbeCounts> RunAsync(HttpLoadFault probe, TimeSpan window, CancellationToken ct)
        {
            f.Check("probes.Run");
            return inner.RunAsync(probe, window, ct);
        }
    }
}
