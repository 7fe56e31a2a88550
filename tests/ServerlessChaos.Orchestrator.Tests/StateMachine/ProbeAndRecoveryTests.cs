using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Orchestrator.Tests.Support;

namespace ServerlessChaos.Orchestrator.Tests.StateMachine;

[Collection(StateMachineCollection.Name)]
public class ProbeAndRecoveryTests(StateMachineFixture fixture)
{
    [Fact]
    public async Task A_probe_that_gets_5xx_where_401_belonged_makes_the_experiment_deviate()
    {
        var requests = 0;
        await using var app = await LoopbackServer.StartAsync(http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/checkout")
            {
                http.Response.StatusCode = 404;
                return Task.CompletedTask;
            }

            // The classic finding: a missing token crashes the handler instead of answering 401.
            Interlocked.Increment(ref requests);
            http.Response.StatusCode = http.Request.Headers.Authorization.Count == 0 ? 502 : 200;
            return Task.CompletedTask;
        });
        var url = app.Url;
        using var scenario = new Scenario();
        var experiment = scenario.Experiment(withFis: false);
        experiment["faults"]!.AsArray().Add(new JsonObject
        {
            ["httpLoad"] = new JsonObject
            {
                ["url"] = new Uri(url, "/checkout").ToString(),
                ["method"] = "POST",
                ["ratePerSecond"] = 20,
                ["durationSeconds"] = 1,
                ["variant"] = "missingAuthorization",
                ["expect"] = new JsonObject { ["no5xx"] = true, ["statusCodes"] = new JsonArray(401) },
            },
        });

        var result = await fixture.RunAsync(scenario, experiment);

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("deviated");
        var probe = result.Output["probes"]!.AsArray().Single()!;
        probe["met"]!.GetValue<bool>().ShouldBeFalse();
        probe["counts"]!["byStatus"]!["502"]!.GetValue<int>().ShouldBe(20);
        requests.ShouldBe(20);
        result.Output["reasons"]!.ToJsonString().ShouldContain("20 of 20 responses were 5xx or failed");
        scenario.ArmedParameters().ShouldBeEmpty();
    }

    [Fact]
    public async Task Alarms_that_do_not_recover_within_the_window_make_the_experiment_deviate()
    {
        using var scenario = new Scenario();
        scenario.BeforeStep = (step, count) =>
        {
            if (step == "verify" && count == 0)
            {
                scenario.Local.Alarms.SetState(Scenario.LatencyAlarm, "ALARM");
            }
        };

        var result = await fixture.RunAsync(scenario, scenario.Experiment(withFis: false));

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("deviated");
        result.StatesEntered.Count(s => s == "WaitForRecovery").ShouldBeGreaterThanOrEqualTo(3);
        result.Output["reasons"]!.ToJsonString().ShouldContain($"alarm {Scenario.LatencyAlarm} not OK 20 s after rollback");
        scenario.ArmedParameters().ShouldBeEmpty();
    }

    [Fact]
    public async Task Setting_the_halt_parameter_mid_run_aborts_and_rolls_back()
    {
        using var scenario = new Scenario();
        scenario.BeforeStep = (step, count) =>
        {
            if (step == "observe" && count == 1)
            {
                scenario.Local.Parameters.Put("/serverless-chaos/halt", """{"halted":true,"by":"sre"}""");
            }
        };

        var result = await fixture.RunAsync(scenario, scenario.Experiment());

        result.Status.ShouldBe("SUCCEEDED", result.Cause);
        result.StatesEntered.ShouldContain("Halted");
        result.Output!["verdict"]!.GetValue<string>().ShouldBe("aborted");
        result.Output["reasons"]!.ToJsonString().ShouldContain("the halt parameter was set");
        scenario.ArmedParameters().ShouldBeEmpty();
        scenario.Local.Fis.Experiments().Single().State.ShouldBe("stopped");
    }
}
