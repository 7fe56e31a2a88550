using System.Text.Json.Nodes;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Orchestrator.Tests.Experiments;

public class VerdictsTests
{
    [Fact]
    public void A_plan_takes_the_worst_verdict_held_then_deviated_then_aborted_and_the_exit_codes_are_0_1_2()
    {
        Verdicts.Worst([Verdict.Held, Verdict.Deviated, Verdict.Held]).ShouldBe(Verdict.Deviated);
        Verdicts.Worst([Verdict.Deviated, Verdict.Aborted, Verdict.Held]).ShouldBe(Verdict.Aborted);
        Verdicts.Worst([Verdict.Held, Verdict.Held]).ShouldBe(Verdict.Held);
        Verdicts.Worst([]).ShouldBe(Verdict.Held);
        new[] { Verdict.Held, Verdict.Deviated, Verdict.Aborted }.Select(v => v.ExitCode()).ShouldBe([0, 1, 2]);
        new[] { Verdict.Held, Verdict.Deviated, Verdict.Aborted }.Select(v => v.Name()).ShouldBe(["held", "deviated", "aborted"]);
    }

    [Theory]
    [InlineData("held", Verdict.Held, "alarm calm")]
    [InlineData("deviated", Verdict.Deviated, "alarm calm")]
    [InlineData("aborted", Verdict.Aborted, "alarm calm")]
    [InlineData("failed", Verdict.Aborted, "verdict failed: alarm calm")]
    public void The_journal_verdict_the_report_step_writes_maps_to_one_verdict_with_its_reasons(string journalVerdict, Verdict expected, string reason)
    {
        var journal = new JsonObject { ["verdict"] = journalVerdict, ["reasons"] = new JsonArray("alarm calm") };

        Verdicts.FromJournal(journal).ShouldBe((expected, reason));
    }

    [Fact]
    public void A_journal_without_reasons_or_verdict_still_says_why()
    {
        Verdicts.FromJournal(new JsonObject { ["verdict"] = "held" }).Reason.ShouldContain("every hypothesis alarm stayed OK");
        Verdicts.FromJournal(null).ShouldBe((Verdict.Aborted, "the state machine reported verdict (none)"));
    }
}
