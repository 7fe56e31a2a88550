using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Orchestrator.Tests.StateMachine;

public class AslDefinitionTests
{
    private static readonly JsonObject Definition = JsonNode.Parse(File.ReadAllText(Repository.AslFile))!.AsObject();

    private static IEnumerable<(string Name, JsonObject State)> States =>
        Definition["States"]!.AsObject().Select(p => (p.Key, p.Value!.AsObject()));

    [Fact]
    public async Task The_definition_passes_asl_validator()
    {
        var start = new ProcessStartInfo(Repository.Path("node_modules", ".bin", "asl-validator"), ["--json-path", Repository.AslFile])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, output);
        output.ShouldContain("is valid");
    }

    [Fact]
    public void Task_resources_are_the_documented_placeholders()
    {
        var placeholders = States.Where(s => s.State["Type"]!.GetValue<string>() == "Task")
            .Select(s => s.State["Resource"]!.GetValue<string>()).Distinct().Order().ToList();
        placeholders.ShouldBe(
        [
            "${ArmFunctionArn}", "${DeadLetterFunctionArn}", "${ObserveFunctionArn}", "${PreflightFunctionArn}", "${ReportFunctionArn}",
            "${RollbackFunctionArn}", "${StartFunctionArn}", "${ValidateFunctionArn}", "${VerifyFunctionArn}",
        ]);
        Regex.Matches(File.ReadAllText(Repository.AslFile), @"\$\{(\w+)\}").Select(m => m.Groups[1].Value)
            .ShouldAllBe(name => name.EndsWith("FunctionArn"));
    }

    [Fact]
    public void Every_task_retries_transient_errors_and_catches_everything()
    {
        foreach (var (name, state) in States.Where(s => s.State["Type"]!.GetValue<string>() == "Task"))
        {
            var retry = state["Retry"]!.AsArray();
            retry.ShouldNotBeEmpty(name);
            retry.SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => e!.GetValue<string>()))
                .ShouldContain("BackendUnavailable", name);
            var catcher = state["Catch"]!.AsArray().Single()!;
            catcher["ErrorEquals"]!.AsArray().Single()!.GetValue<string>().ShouldBe("States.ALL", name);
        }
    }

    [Fact]
    public void No_task_retries_a_permanent_error()
    {
        // Permanent errors (AccessDeniedException, ParameterInvalid, ...) must reach the dead-letter queue on the first attempt.
        foreach (var (name, state) in States.Where(s => s.State["Type"]!.GetValue<string>() == "Task"))
        {
            var retried = state["Retry"]!.AsArray().SelectMany(r => r!["ErrorEquals"]!.AsArray().Select(e => e!.GetValue<string>())).ToList();
            retried.ShouldNotContain("States.ALL", name);
            retried.Intersect(["ExperimentInvalid", "PreflightRefused", "InvalidState", "ParameterInvalid", "RollbackRefused"]).ShouldBeEmpty(name);
        }
    }

    [Fact]
    public void Every_failure_path_goes_through_rollback_then_the_dead_letter_queue_then_fail()
    {
        var catchTargets = States.Where(s => s.State["Catch"] is not null)
            .ToDictionary(s => s.Name, s => s.State["Catch"]![0]!["Next"]!.GetValue<string>());
        foreach (var (name, target) in catchTargets)
        {
            var expected = name switch
            {
                "RollbackAfterFailure" => "SendToDeadLetter",
                "SendToDeadLetter" => "DeadLetterFailed",
                _ => "RollbackAfterFailure",
            };
            target.ShouldBe(expected, name);
        }

        Definition["States"]!["RollbackAfterFailure"]!["Next"]!.GetValue<string>().ShouldBe("SendToDeadLetter");
        Definition["States"]!["SendToDeadLetter"]!["Next"]!.GetValue<string>().ShouldBe("ExperimentFailed");
        Definition["States"]!["ExperimentFailed"]!["Type"]!.GetValue<string>().ShouldBe("Fail");
        Definition["States"]!["DeadLetterFailed"]!["Type"]!.GetValue<string>().ShouldBe("Fail");
    }

    [Fact]
    public void The_monitor_loop_has_a_branch_for_every_fis_state()
    {
        var choices = Definition["States"]!["RouteOnFisState"]!["Choices"]!.AsArray()
            .Select(c => c!["StringEquals"]!.GetValue<string>()).ToList();
        choices.ShouldBe(["pending", "initiating", "running", "completed", "stopping", "stopped", "failed", "cancelled", "none"], ignoreOrder: true);
        Definition["States"]!["RouteOnFisState"]!["Default"]!.GetValue<string>().ShouldBe("FisStateUnknown");
    }

    [Fact]
    public void No_state_creates_a_fis_template()
    {
        File.ReadAllText(Repository.AslFile).ShouldNotContain("CreateExperimentTemplate", Case.Insensitive);
    }
}
