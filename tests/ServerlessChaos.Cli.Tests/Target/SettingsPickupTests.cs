using ServerlessChaos.Cli.GameDay.Target;

namespace ServerlessChaos.Cli.Tests.Target;

public class SettingsPickupTests
{
    private const string Parameter = "/serverless-chaos/functions/my-api";
    private const string Armed = """{"version":1,"enabled":true,"expiresAt":"2026-11-22T01:00:00Z","faults":[{"type":"statusCode","rate":0.05,"statusCode":503}]}""";

    [Fact]
    public void The_first_read_of_the_armed_settings_and_of_the_rollback_go_to_the_timeline_with_how_long_after_the_write_they_came()
    {
        var clock = new ManualTimeProvider();
        var lines = new List<string>();
        var pickup = new SettingsPickup([Parameter], clock, lines.Add);
        var since = clock.GetUtcNow();

        pickup.Written(Parameter, Armed);
        clock.Advance(TimeSpan.FromMilliseconds(400));
        pickup.Read(Parameter, null); // a read answered before the arm, arriving late: not the armed settings
        clock.Advance(TimeSpan.FromMilliseconds(500));
        pickup.Read(Parameter, Armed);
        clock.Advance(TimeSpan.FromSeconds(1));
        pickup.Read(Parameter, Armed); // the next refresh: already told
        pickup.Read("/serverless-chaos/halt", null);
        clock.Advance(TimeSpan.FromSeconds(2));
        pickup.Written(Parameter, null);
        clock.Advance(TimeSpan.FromMilliseconds(700));
        pickup.Read(Parameter, null);

        lines.ShouldBe([
            $"your service read the armed settings of {Parameter}, 0.9 s after the arm",
            $"your service read {Parameter} deleted, 0.7 s after the change",
        ]);
        pickup.Unread(since).ShouldBeEmpty();
    }

    [Fact]
    public void An_arm_replaced_before_the_service_read_it_is_unread_with_how_long_it_was_armed_and_only_since_the_given_start()
    {
        var clock = new ManualTimeProvider();
        var lines = new List<string>();
        var pickup = new SettingsPickup([Parameter, "/serverless-chaos/functions/other"], clock, lines.Add);
        pickup.Written(Parameter, Armed);
        clock.Advance(TimeSpan.FromSeconds(1));
        pickup.Written(Parameter, null); // an earlier experiment's arm, never read either
        clock.Advance(TimeSpan.FromSeconds(1));
        var since = clock.GetUtcNow();

        pickup.Written(Parameter, Armed);
        pickup.Written("/serverless-chaos/functions/other", Armed);
        clock.Advance(TimeSpan.FromSeconds(2));
        pickup.Read("/serverless-chaos/functions/other", Armed);
        clock.Advance(TimeSpan.FromSeconds(2.5));
        pickup.Read(Parameter, null); // the service still reads the parameter as it was before the arm
        pickup.Written(Parameter, null);
        pickup.Written("/serverless-chaos/functions/other", null);

        pickup.Unread(since).ShouldBe([new UnreadArm(Parameter, TimeSpan.FromSeconds(4.5))]);
        pickup.Unread(since - TimeSpan.FromSeconds(2)).Select(u => u.Parameter).ShouldBe([Parameter, Parameter]);
        lines.ShouldBe(["your service read the armed settings of /serverless-chaos/functions/other, 2.0 s after the arm"]);
    }

    [Fact]
    public void Parameters_the_target_does_not_read_are_not_watched()
    {
        var clock = new ManualTimeProvider();
        var lines = new List<string>();
        var pickup = new SettingsPickup([Parameter], clock, lines.Add);
        var since = clock.GetUtcNow();

        pickup.Written("/serverless-chaos/ledger/run-1", Armed);
        pickup.Read("/serverless-chaos/ledger/run-1", Armed);

        lines.ShouldBeEmpty();
        pickup.Unread(since).ShouldBeEmpty();
    }
}
