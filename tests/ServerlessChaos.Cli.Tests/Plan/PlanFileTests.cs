using ServerlessChaos.Cli.GameDay.Plan;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Plan;

public class PlanFileTests
{
    private static string Folder()
    {
        var dir = TestPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(dir, "first.json"), """{ "name": "first" }""");
        File.WriteAllText(Path.Combine(dir, "alarms.json"), "[]");
        return dir;
    }

    [Fact]
    public void A_plan_reads_its_experiments_in_order_relative_to_the_plan_file_and_hands_the_target_on_untouched()
    {
        var dir = Folder();
        var plan = PlanFile.Parse("""
            { "name": "team-gameday", "description": "three things",
              "experiments": [ "first.json", { "name": "inline" } ],
              "load": { "ratePerSecond": 15, "requests": [ { "method": "POST", "path": "/orders" }, { "path": "/orders/{n}" } ] },
              "alarms": "alarms.json",
              "service": { "tasks": 4, "replacementDelaySeconds": 2 },
              "steadyStateTimeoutSeconds": 12,
              "target": { "baseUrl": "http://127.0.0.1:8080", "anything": [1, 2] } }
            """, Path.Combine(dir, "plan.json"));

        plan.Name.ShouldBe("team-gameday");
        plan.Description.ShouldBe("three things");
        plan.Experiments.Select(e => e.Source).ShouldBe([Path.Combine(dir, "first.json"), Path.Combine(dir, "plan.json") + " experiments[1]"]);
        plan.Experiments[0].Text.ShouldBe("""{ "name": "first" }""");
        plan.Experiments[1].Text.ShouldContain("\"inline\"");
        plan.Load.ShouldBe(new PlanLoad(15, plan.Load!.Requests));
        plan.Load.Requests.ShouldBe([new PlanRequest("POST", "/orders"), new PlanRequest("GET", "/orders/{n}")]);
        plan.AlarmsPath.ShouldBe(Path.Combine(dir, "alarms.json"));
        plan.Service.ShouldBe(PlanService.Default with { Tasks = 4, ReplacementDelay = TimeSpan.FromSeconds(2) });
        plan.SteadyStateTimeout.ShouldBe(TimeSpan.FromSeconds(12));
        plan.Target!.ToJsonString().ShouldBe("""{"baseUrl":"http://127.0.0.1:8080","anything":[1,2]}""");
    }

    [Fact]
    public void A_plan_without_load_service_or_target_leaves_them_to_the_defaults()
    {
        var dir = Folder();
        var plan = PlanFile.Parse("""{ "name": "p", "experiments": ["first.json"] }""", Path.Combine(dir, "plan.json"));

        plan.Load.ShouldBeNull();
        plan.Service.ShouldBeNull();
        plan.Target.ShouldBeNull();
        plan.AlarmsPath.ShouldBeNull();
        plan.SteadyStateTimeout.ShouldBe(GameDayPlan.DefaultSteadyStateTimeout);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        var dir = Folder();
        var ex = Should.Throw<CliException>(() => PlanFile.Parse("""
            { "name": "bad name!", "colour": "red",
              "experiments": [ "missing.json", 3 ],
              "load": { "ratePerSecond": 0, "requests": [ { "method": "FETCH", "path": "http://example.com/" } ], "burst": 1 },
              "alarms": "nope.json",
              "service": { "tasks": 1.5, "healthCheckIntervalMs": 5 },
              "steadyStateTimeoutSeconds": 0,
              "target": "http://127.0.0.1" }
            """, Path.Combine(dir, "plan.json")));

        ex.Message.ShouldContain("plan.json is not a valid game-day plan");
        ex.Message.ShouldContain("colour is not a known field");
        ex.Message.ShouldContain("name may contain only letters");
        ex.Message.ShouldContain("experiments[0]: experiment file missing.json does not exist");
        ex.Message.ShouldContain("experiments[1] must be an experiment file");
        ex.Message.ShouldContain("load.ratePerSecond must be between 1 and 500 (was 0)");
        ex.Message.ShouldContain("load.burst is not a known field");
        ex.Message.ShouldContain("load.requests[0].method must be one of GET");
        ex.Message.ShouldContain("load.requests[0].path must be a path on the target starting with one '/' (was http://example.com/)");
        ex.Message.ShouldContain("alarms: file nope.json does not exist");
        ex.Message.ShouldContain("service.tasks must be a whole number");
        ex.Message.ShouldContain("service.healthCheckIntervalMs must be between 100 and 10000 (was 5)");
        ex.Message.ShouldContain("steadyStateTimeoutSeconds must be between 1 and 300 (was 0)");
        ex.Message.ShouldContain("target must be an object");
    }

    [Theory]
    [InlineData("""{ "name": "p" }""", "experiments is required")]
    [InlineData("""{ "name": "p", "experiments": [] }""", "experiments must be a non-empty list")]
    [InlineData("""{ "experiments": ["first.json"] }""", "name is required")]
    [InlineData("""[1]""", "a plan must be a JSON object")]
    [InlineData("""{ "name": """, "is not valid JSON")]
    public void A_plan_missing_what_it_needs_is_refused_in_one_line(string json, string expected)
    {
        var ex = Should.Throw<CliException>(() => PlanFile.Parse(json, Path.Combine(Folder(), "plan.json")));

        ex.Message.ShouldContain(expected);
    }

    [Fact]
    public void The_default_plan_in_the_repository_is_valid()
    {
        var plan = PlanFile.Read(Path.Combine(TestPaths.RepositoryRoot, "events/gamedays/default.json"));

        plan.Experiments.Count.ShouldBe(3);
        plan.Service.ShouldNotBeNull();
    }
}
