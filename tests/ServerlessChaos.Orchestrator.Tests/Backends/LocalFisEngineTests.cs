using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Local;

namespace ServerlessChaos.Orchestrator.Tests.Backends;

public class LocalFisEngineTests
{
    private static (LocalFisEngine Engine, ManualTimeProvider Clock) Create(string? file = null)
    {
        var clock = new ManualTimeProvider();
        var engine = new LocalFisEngine(clock, file);
        engine.AddTemplate(new LocalFisTemplate
        {
            Id = "EXT1",
            Tags = { ["k"] = "v" },
            Actions = { new LocalFisAction { Name = "delay", ActionId = "aws:lambda:invocation-add-delay", Functions = { "f" }, Duration = TimeSpan.FromSeconds(10) } },
        });
        return (engine, clock);
    }

    private static FisStartRequest Start(string token = "t1") => new("EXT1", token, new Dictionary<string, string>(), "run-all");

    [Fact]
    public async Task An_experiment_goes_pending_initiating_running_completed_as_time_passes()
    {
        var (engine, clock) = Create();
        var id = await engine.StartExperimentAsync(Start(), default);
        var seen = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            var state = (await engine.GetExperimentAsync(id, default)).State;
            if (seen.LastOrDefault() != state)
            {
                seen.Add(state);
            }

            if (state == "running")
            {
                engine.ActiveActions().Single().ActionId.ShouldBe("aws:lambda:invocation-add-delay");
            }

            clock.Advance(TimeSpan.FromSeconds(0.5));
        }

        seen.ShouldBe(["pending", "initiating", "running", "completed"]);
        engine.ActiveActions().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_stop_while_running_ends_stopped_and_a_stop_after_completion_changes_nothing()
    {
        var (engine, clock) = Create();
        var id = await engine.StartExperimentAsync(Start(), default);
        clock.Advance(TimeSpan.FromSeconds(3));
        await engine.StopExperimentAsync(id, default);
        (await engine.GetExperimentAsync(id, default)).State.ShouldBe("stopped");

        var other = await engine.StartExperimentAsync(Start("t2"), default);
        clock.Advance(TimeSpan.FromSeconds(30));
        await engine.StopExperimentAsync(other, default);
        (await engine.GetExperimentAsync(other, default)).State.ShouldBe("completed");
    }

    [Fact]
    public async Task The_same_client_token_returns_the_same_experiment()
    {
        var (engine, _) = Create();
        (await engine.StartExperimentAsync(Start(), default)).ShouldBe(await engine.StartExperimentAsync(Start(), default));
        engine.Experiments().Count.ShouldBe(1);
    }

    [Fact]
    public async Task Injected_failures_and_cancellations_show_with_their_reason()
    {
        var (engine, clock) = Create();
        engine.FailExperimentsOf("EXT1", TimeSpan.FromSeconds(4), "target missing");
        var failing = await engine.StartExperimentAsync(Start(), default);
        var cancelled = await engine.StartExperimentAsync(Start("t2"), default);
        engine.Cancel(cancelled);
        clock.Advance(TimeSpan.FromSeconds(5));
        (await engine.GetExperimentAsync(failing, default)).ShouldBe(new FisExperimentStatus("failed", "target missing"));
        (await engine.GetExperimentAsync(cancelled, default)).State.ShouldBe("cancelled");
    }

    [Fact]
    public void Only_lambda_actions_and_the_ecs_task_stop_are_accepted()
    {
        var (engine, _) = Create();
        Should.Throw<ArgumentException>(() => engine.AddTemplate(new LocalFisTemplate
        {
            Id = "EXT2",
            Actions = { new LocalFisAction { Name = "drain", ActionId = "aws:ecs:drain-container-instances" } },
        })).Message.ShouldContain("uses aws:ecs:drain-container-instances");
    }

    [Fact]
    public async Task A_running_task_stop_is_listed_with_its_experiment_so_it_is_carried_out_once_per_experiment()
    {
        var (engine, clock) = Create();
        engine.AddTemplate(new LocalFisTemplate
        {
            Id = "EXTSTOP",
            Actions = { new LocalFisAction { Name = "stop", ActionId = LocalFisEngine.EcsStopTask, Services = { "local/sample-api" }, Duration = TimeSpan.FromSeconds(10) } },
        });
        var id = await engine.StartExperimentAsync(new FisStartRequest("EXTSTOP", "token-1", new Dictionary<string, string>(), "run-all"), CancellationToken.None);

        engine.ActiveActionsByExperiment().ShouldBeEmpty(); // pending
        clock.Advance(TimeSpan.FromSeconds(3));
        var (experiment, action) = engine.ActiveActionsByExperiment().ShouldHaveSingleItem();
        experiment.ShouldBe(id);
        action.Services.ShouldBe(["local/sample-api"]);
        clock.Advance(TimeSpan.FromSeconds(10));
        engine.ActiveActionsByExperiment().ShouldBeEmpty(); // completed
    }

    [Fact]
    public async Task With_a_file_two_engines_share_templates_and_experiments()
    {
        var file = Path.Combine(Path.GetTempPath(), "sc-orch-tests", Guid.NewGuid().ToString("N"), "fis.json");
        var (engine, clock) = Create(file);
        var id = await engine.StartExperimentAsync(Start(), default);
        var other = new LocalFisEngine(clock, file);
        (await other.TemplateExistsAsync("EXT1", default)).ShouldBeTrue();
        (await other.FindTemplatesByTagAsync("k", "v", default)).ShouldBe(["EXT1"]);
        (await other.GetExperimentAsync(id, default)).State.ShouldBe("pending");
    }
}
