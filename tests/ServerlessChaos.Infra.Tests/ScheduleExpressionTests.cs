using ServerlessChaos.Infra.Schedules;

namespace ServerlessChaos.Infra.Tests;

public sealed class ScheduleExpressionTests
{
    [Theory]
    [InlineData("rate(1 day)")]
    [InlineData("rate(5 minutes)")]
    [InlineData("cron(0 10 ? * TUE *)")]
    [InlineData("cron(0/15 9-17 ? * MON-FRI *)")]
    [InlineData("cron(0 8 1 * ? *)")]
    [InlineData("at(2026-11-28T10:00:00)")]
    public void Valid_expressions_pass(string expression) => ScheduleExpression.Problem(expression).ShouldBeNull();

    [Theory]
    [InlineData("rate(1 days)", "should use the singular unit")]
    [InlineData("rate(2 hour)", "should use the plural unit")]
    [InlineData("rate(0 minutes)", "positive value")]
    [InlineData("cron(0 10 * * ?)", "needs 6 fields")]
    [InlineData("cron(0 10 ? * ? *)", "exactly one of day-of-month and day-of-week")]
    [InlineData("at(2026-13-01T10:00:00)", "needs a date and time")]
    [InlineData("0 10 * * 2", "use cron(...), rate(...) or at(...)")]
    public void Invalid_expressions_say_why(string expression, string problem) =>
        ScheduleExpression.Problem(expression).ShouldNotBeNull().ShouldContain(problem);
}
