using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Sqs;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Aws;

namespace ServerlessChaos.Orchestrator.Tests.Backends;

/// <summary>The AWS backends over the shared signed clients, against a fake AWS JSON endpoint on 127.0.0.1.</summary>
public class AwsBackendsTests
{
    private readonly ConcurrentQueue<(string Target, JsonObject Body)> calls = new();

    private async Task<(LoopbackServer App, AwsClientOptions Options)> StartAsync()
    {
        var app = await LoopbackServer.StartAsync(async http =>
        {
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/")
            {
                http.Response.StatusCode = 404;
                return;
            }

            var target = http.Request.Headers["X-Amz-Target"].ToString();
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            calls.Enqueue((target, body));
            var (status, reply) = target switch
            {
                "AmazonSSM.GetParameter" when body["Name"]!.GetValue<string>() == "/missing" => (400, """{"__type":"ParameterNotFound","message":"not found"}"""),
                "AmazonSSM.GetParameter" => (200, """{"Parameter":{"Name":"/x","Type":"String","Value":"armed","Version":3}}"""),
                "AmazonSSM.PutParameter" => (200, """{"Version":4,"Tier":"Standard"}"""),
                "AmazonSSM.DeleteParameter" => (400, """{"__type":"ParameterNotFound","message":"not found"}"""),
                "GraniteServiceVersion20100801.DescribeAlarms" => (200, """
                    {"MetricAlarms":[{"AlarmName":"latency","StateValue":"ALARM","StateUpdatedTimestamp":1763769600.25,"Period":60,"EvaluationPeriods":3,"DatapointsToAlarm":2}],
                     "CompositeAlarms":[{"AlarmName":"overall","StateValue":"OK"}]}
                    """),
                _ => (500, """{"__type":"InternalFailure","message":"boom"}"""),
            };
            http.Response.StatusCode = status;
            http.Response.ContentType = "application/x-amz-json-1.1";
            await http.Response.WriteAsync(reply);
        });
        var options = new AwsClientOptions
        {
            Region = "us-east-1",
            Credentials = new StaticCredentialsProvider("AKIDEXAMPLE", "secret"),
            Endpoint = app.Url,
            Retry = new AwsRetryOptions { MaxAttempts = 1 },
        };
        return (app, options);
    }

    [Fact]
    public async Task Parameters_read_write_and_treat_a_missing_parameter_as_absent()
    {
        var (app, options) = await StartAsync();
        await using var _ = app;
        var store = new AwsParameterStore(new SsmClient(options));

        (await store.GetAsync("/x", default)).ShouldBe("armed");
        (await store.GetAsync("/missing", default)).ShouldBeNull();
        await store.PutAsync("/x", "{\"version\":1}", default);
        await store.DeleteAsync("/gone", default);

        var put = calls.Single(c => c.Target == "AmazonSSM.PutParameter").Body;
        put["Overwrite"]!.GetValue<bool>().ShouldBeTrue();
        put["Value"]!.GetValue<string>().ShouldBe("{\"version\":1}");
    }

    [Fact]
    public async Task Alarms_carry_their_evaluation_settings_and_composites_get_the_default_period()
    {
        var (app, options) = await StartAsync();
        await using var _ = app;
        var alarms = await new AwsAlarmSource(new CloudWatchClient(options)).DescribeAsync(["latency", "overall"], default);

        alarms.ShouldBe([new AlarmStatus("latency", "ALARM", 60, 3, 2, DateTimeOffset.FromUnixTimeMilliseconds(1763769600250)), new AlarmStatus("overall", "OK", 60, 1, 1)]);
        alarms[0].WorstCaseDetection.ShouldBe(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task An_aws_error_becomes_a_backend_error_the_state_machine_retries()
    {
        var (app, options) = await StartAsync();
        await using var _ = app;
        var queue = new AwsDeadLetterQueue(new SqsClient(options), "https://sqs.us-east-1.amazonaws.com/123456789012/dlq");

        var error = await Should.ThrowAsync<BackendException>(() => queue.SendAsync("{}", default));

        Orchestrator.Steps.ErrorTypes.For(error).ShouldBe("BackendUnavailable");
        error.Message.ShouldContain("InternalFailure");
        (await Should.ThrowAsync<Orchestrator.Steps.ControlFunctionException>(() => new AwsDeadLetterQueue(new SqsClient(options), null).SendAsync("{}", default)))
            .Message.ShouldContain("SERVERLESS_CHAOS_DLQ_URL is not set");
    }
}
