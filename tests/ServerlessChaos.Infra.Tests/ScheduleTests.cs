using System.Text.Json.Nodes;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

[Collection(SynthesizedAppCollection.Name)]
public sealed class ScheduleTests(SynthesizedApp app)
{
    [Fact]
    public void Each_schedule_starts_the_state_machine_with_its_input_file_in_its_time_zone()
    {
        var (_, schedule) = app.ControlPlane.OfType("AWS::Scheduler::Schedule").Single(s => s.Properties["Name"]!.ToString() == "weekly-game-day");
        var machine = app.ControlPlane.OfType("AWS::StepFunctions::StateMachine").Single().LogicalId;

        schedule["Name"]!.GetValue<string>().ShouldBe("weekly-game-day");
        schedule["ScheduleExpression"]!.GetValue<string>().ShouldBe("cron(0 10 ? * TUE *)");
        schedule["ScheduleExpressionTimezone"]!.GetValue<string>().ShouldBe("Europe/Berlin");
        schedule["State"]!.GetValue<string>().ShouldBe("ENABLED");
        TemplateJson.Render(schedule["Target"]!["Arn"]).ShouldBe("${" + machine + "}");

        var input = JsonNode.Parse(schedule["Target"]!["Input"]!.GetValue<string>());
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "events", "experiments", "sample-target-game-day.json")));
        JsonNode.DeepEquals(input, file).ShouldBeTrue();
    }

    [Fact]
    public void Each_schedule_target_has_the_dead_letter_queue_and_a_retry_policy()
    {
        var queue = "${" + app.ControlPlane.OfType("AWS::SQS::Queue").Single().LogicalId + ".Arn}";
        var schedules = app.ControlPlane.OfType("AWS::Scheduler::Schedule").ToList();

        schedules.Select(s => s.Properties["Name"]!.ToString()).Order().ShouldBe(["daily-checkout", "launch-rehearsal", "weekly-game-day"]);
        foreach (var (_, schedule) in schedules)
        {
            TemplateJson.Render(schedule["Target"]!["DeadLetterConfig"]!["Arn"]).ShouldBe(queue);
        }

        (int, int, string) RetryOf(string name) => schedules.Single(s => s.Properties["Name"]!.ToString() == name).Properties is var p
            ? (p["Target"]!["RetryPolicy"]!["MaximumRetryAttempts"]!.GetValue<int>(), p["Target"]!["RetryPolicy"]!["MaximumEventAgeInSeconds"]!.GetValue<int>(), p["State"]!.ToString())
            : default;
        RetryOf("weekly-game-day").ShouldBe((2, 900, "ENABLED"));
        RetryOf("daily-checkout").ShouldBe((3, 3600, "DISABLED"), "the defaults");
        RetryOf("launch-rehearsal").ShouldBe((0, 60, "ENABLED"));
    }

    [Fact]
    public void The_scheduler_role_may_start_only_this_state_machine_and_send_only_to_the_DLQ()
    {
        var role = app.ControlPlane.OfType("AWS::IAM::Role")
            .Single(r => r.Properties["AssumeRolePolicyDocument"]!.ToJsonString().Contains("scheduler.amazonaws.com")).LogicalId;
        var statements = app.ControlPlane.OfType("AWS::IAM::Policy")
            .Where(p => p.Properties["Roles"]!.AsArray().Any(r => r!["Ref"]!.ToString() == role))
            .SelectMany(p => p.Properties["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => new IamStatement(s!.AsObject()))
            .ToList();
        var machine = app.ControlPlane.OfType("AWS::StepFunctions::StateMachine").Single().LogicalId;

        statements.SelectMany(s => s.Actions).Order().ShouldBe(["sqs:SendMessage", "states:StartExecution"]);
        statements.Single(s => s.Actions.Contains("states:StartExecution")).Resources.ShouldBe(["${" + machine + "}"]);
    }
}
