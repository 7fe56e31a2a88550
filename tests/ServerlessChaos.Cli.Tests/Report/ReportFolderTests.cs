using ServerlessChaos.Cli.GameDay.Report;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Report;

public class ReportFolderTests
{
    [Fact]
    public void Two_game_days_started_in_the_same_second_get_different_default_folders()
    {
        var now = new DateTimeOffset(2026, 12, 1, 21, 0, 0, TimeSpan.Zero);

        var first = ReportFolder.DefaultName(now);
        var second = ReportFolder.DefaultName(now);

        first.ShouldStartWith("gameday-report-20261201-210000-");
        second.ShouldNotBe(first);
    }

    [Fact]
    public void A_folder_another_game_day_is_writing_is_refused_and_free_again_when_it_ends()
    {
        var dir = Path.Combine(TestPaths.NewTempDirectory(), "report");
        using (ReportFolder.Claim(dir))
        {
            Should.Throw<ServerlessChaos.Cli.CliException>(() => ReportFolder.Claim(dir)).Message
                .ShouldBe($"the report folder {dir} is in use by another game day; pass another --report folder");
        }

        using (ReportFolder.Claim(dir))
        {
            File.Exists(Path.Combine(dir, ReportFolder.LockFileName)).ShouldBeTrue();
        }

        File.Exists(Path.Combine(dir, ReportFolder.LockFileName)).ShouldBeFalse();
    }
}
