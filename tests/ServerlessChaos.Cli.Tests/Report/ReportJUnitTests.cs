using System.Xml.Linq;
using ServerlessChaos.Cli.GameDay.Metrics;
using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Orchestrator.Experiments;

namespace ServerlessChaos.Cli.Tests.Report;

public class ReportJUnitTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 21, 0, 0, TimeSpan.Zero);

    private static GameDayReport Report(string name, Verdict verdict, string reason) => new()
    {
        Experiment = name,
        Verdict = verdict,
        Reason = reason,
        StartedAt = Start,
        EndedAt = Start.AddSeconds(12.5),
        PhaseSummaries = [],
        Timeline = [],
        Alarms = [],
        AlarmTransitions = [],
        Series = [],
        Totals = new WindowStats(100, 10, 90, 7, 9, 2),
    };

    [Fact]
    public void Each_experiment_is_a_test_case_and_one_that_did_not_hold_is_a_failure_carrying_the_verdict_and_its_reason()
    {
        var xml = ReportJUnit.Build([
            Report("api-abuse", Verdict.Held, "every hypothesis alarm stayed OK"),
            Report("task-stop", Verdict.Aborted, "alarm sample-api-5xx-rate went into ALARM after 3 s & <rollback> done"),
        ]);

        var root = xml.Root!;
        root.Name.LocalName.ShouldBe("testsuites");
        root.Attribute("tests")!.Value.ShouldBe("2");
        root.Attribute("failures")!.Value.ShouldBe("1");
        var cases = root.Descendants("testcase").ToList();
        cases.Select(c => c.Attribute("name")!.Value).ShouldBe(["api-abuse", "task-stop"]);
        cases[0].Element("failure").ShouldBeNull();
        cases[0].Attribute("time")!.Value.ShouldBe("12.5");
        var failure = cases[1].Element("failure")!;
        failure.Attribute("type")!.Value.ShouldBe("aborted");
        failure.Attribute("message")!.Value.ShouldBe("alarm sample-api-5xx-rate went into ALARM after 3 s & <rollback> done");
        failure.Value.ShouldContain("7 5xx (5 injected, 2 not injected)");
        XDocument.Parse(xml.ToString()).Root!.Descendants("testcase").Count().ShouldBe(2); // escaped, well formed
    }
}
