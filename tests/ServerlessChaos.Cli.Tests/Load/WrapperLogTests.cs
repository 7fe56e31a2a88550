using ServerlessChaos.Cli.GameDay.Metrics;

namespace ServerlessChaos.Cli.Tests.Load;

public class WrapperLogTests
{
    [Fact]
    public void Writes_whole_lines_and_remembers_the_fault_of_each_request_even_when_a_write_holds_two_records()
    {
        var file = new StringWriter();
        using var log = new WrapperLog(file);

        log.WriteLine("""{"level":"WARN","fault":"exception","requestId":"r-1"}""" + "\n" + """{"_aws":{},"FaultType":"exception","RequestId":"r-1"}""");
        log.Write("""{"level":"WARN","fault":"dependency",""");
        log.FaultFor("r-2").ShouldBeNull(); // half a line: not yet
        log.Write("""  "requestId":"r-2"}""" + "\n");
        log.WriteLine("not json with \"fault\"");

        log.FaultFor("r-1").ShouldBe("exception");
        log.FaultFor("r-2").ShouldBe("dependency");
        log.FaultFor("r-3").ShouldBeNull();
        log.FaultFor(null).ShouldBeNull();
        log.FaultCount.ShouldBe(2);
        file.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(4);
    }
}
