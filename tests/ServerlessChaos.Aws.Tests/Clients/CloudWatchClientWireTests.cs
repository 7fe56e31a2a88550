using System.Text.Json;
using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Tests.Support;
using static ServerlessChaos.Aws.Tests.Support.FakeAwsServer;
using static ServerlessChaos.Testing.LoopbackServer;

namespace ServerlessChaos.Aws.Tests.Clients;

public sealed class CloudWatchClientWireTests : IAsyncLifetime
{
    private readonly TestClients _clients = new();
    private FakeAwsServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private CloudWatchClient Client() => new(_clients.Options(_server.Url));

    [Fact]
    public async Task DescribeAlarms_reads_every_field_the_preflight_needs_across_pages()
    {
        _server.Reply(
            Json(200, """
                {"MetricAlarms":[{"AlarmName":"checkout-5xx","AlarmArn":"arn:aws:cloudwatch:us-east-1:1:alarm:checkout-5xx",
                  "StateValue":"ALARM","StateReason":"Threshold Crossed: 2 out of the last 3 datapoints [5.0, 7.0] were greater than or equal to the threshold (1.0).",
                  "StateUpdatedTimestamp":1763769600.25,"MetricName":"5XXError","Namespace":"AWS/ApiGateway","Statistic":"Sum",
                  "Dimensions":[{"Name":"ApiName","Value":"checkout"}],"Period":60,"EvaluationPeriods":3,"DatapointsToAlarm":2,
                  "Threshold":1.0,"ComparisonOperator":"GreaterThanOrEqualToThreshold","TreatMissingData":"notBreaching"}],
                 "CompositeAlarms":[],"NextToken":"page2"}
                """, contentType: "application/x-amz-json-1.0"),
            Json(200, """
                {"MetricAlarms":[{"AlarmName":"checkout p99","StateValue":"OK","StateReason":"ok","MetricName":"Latency","Namespace":"AWS/Lambda",
                  "ExtendedStatistic":"p99","Period":300,"EvaluationPeriods":1,"Threshold":800,"ComparisonOperator":"GreaterThanThreshold"}]}
                """, contentType: "application/x-amz-json-1.0"));

        var alarms = await Client().DescribeAlarmsAsync(["checkout-5xx", "checkout p99"]);

        alarms.Count.ShouldBe(2);
        var first = alarms[0];
        first.Name.ShouldBe("checkout-5xx");
        first.StateValue.ShouldBe(CloudWatchAlarmState.Alarm);
        first.StateReason!.ShouldStartWith("Threshold Crossed");
        first.MetricName.ShouldBe("5XXError");
        first.Namespace.ShouldBe("AWS/ApiGateway");
        first.Statistic.ShouldBe("Sum");
        first.Period.ShouldBe(60);
        first.EvaluationPeriods.ShouldBe(3);
        first.DatapointsToAlarm.ShouldBe(2);
        first.Threshold.ShouldBe(1.0);
        first.ComparisonOperator.ShouldBe("GreaterThanOrEqualToThreshold");
        first.TreatMissingData.ShouldBe("notBreaching");
        first.Dimensions.ShouldBe([new CloudWatchDimension("ApiName", "checkout")]);
        first.WorstCaseDetectionTime.ShouldBe(TimeSpan.FromMinutes(3));
        alarms[1].ExtendedStatistic.ShouldBe("p99");
        alarms[1].DatapointsToAlarm.ShouldBeNull();

        var requests = _server.Requests.ToList();
        requests[0].Header("x-amz-target").ShouldBe("GraniteServiceVersion20100801.DescribeAlarms");
        requests[0].Header("x-amzn-query-mode").ShouldBe("true");
        requests[0].Header("content-type").ShouldBe("application/x-amz-json-1.0");
        requests[0].Header("authorization")!.ShouldContain("/us-east-1/monitoring/aws4_request");
        JsonDocument.Parse(requests[1].Body).RootElement.GetProperty("NextToken").GetString().ShouldBe("page2");
    }

    [Fact]
    public async Task Composite_alarms_are_asked_for_and_returned_when_requested()
    {
        _server.Reply(Json(200, """{"MetricAlarms":[],"CompositeAlarms":[{"AlarmName":"steady","StateValue":"INSUFFICIENT_DATA","AlarmRule":"ALARM(a) OR ALARM(b)"}]}"""));

        var alarms = await Client().DescribeAlarmsAsync(["steady"], includeCompositeAlarms: true);

        alarms.Single().IsComposite.ShouldBeTrue();
        alarms.Single().AlarmRule.ShouldBe("ALARM(a) OR ALARM(b)");
        JsonDocument.Parse(_server.Requests.Single().Body).RootElement.GetProperty("AlarmTypes").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task More_than_100_names_are_asked_for_in_batches_of_100()
    {
        _server.Reply(Json(200, """{"MetricAlarms":[]}"""));

        await Client().DescribeAlarmsAsync(Enumerable.Range(0, 150).Select(i => $"a{i}").ToList());

        _server.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("AlarmNames").GetArrayLength()).ShouldBe([100, 50]);
    }

    [Fact]
    public async Task The_query_compatible_error_code_header_wins()
    {
        _server.Reply(Json(400, """{"__type":"com.amazonaws.cloudwatch#InvalidNextToken","message":"The service couldn't process the token"}""", requestId: "cw-1",
            headers: ("x-amzn-query-error", "InvalidNextToken;Sender")));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().DescribeAlarmsAsync(["x"]));

        error.Service.ShouldBe("CloudWatch");
        error.ErrorCode.ShouldBe("InvalidNextToken");
        error.RequestId.ShouldBe("cw-1");
    }

    [Fact]
    public async Task PutMetricData_sends_namespace_dimensions_timestamp_in_epoch_seconds_value_and_unit()
    {
        _server.Reply(Json(200, "{}"));

        await Client().PutMetricDataAsync("ServerlessChaos",
        [
            new CloudWatchMetricDatum { MetricName = "Rollbacks", Value = 2, Unit = "Count", Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1763769600500) },
        ]);

        var request = _server.Requests.Single();
        request.Header("x-amz-target").ShouldBe("GraniteServiceVersion20100801.PutMetricData");
        request.BodyText.ShouldBe("""{"Namespace":"ServerlessChaos","MetricData":[{"MetricName":"Rollbacks","Timestamp":1763769600.5,"Value":2,"Unit":"Count"}]}""");
    }

    [Fact]
    public void PutMetricData_rejects_a_value_that_is_not_finite_naming_it()
    {
        Should.Throw<ArgumentException>(() => Client().PutMetricDataAsync("ns", [new CloudWatchMetricDatum { MetricName = "m", Value = double.NaN }]))
            .Message.ShouldContain("data[0].Value must be a finite number (was NaN)");
    }
}
