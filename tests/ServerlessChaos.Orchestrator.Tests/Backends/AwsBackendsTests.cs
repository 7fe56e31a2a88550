using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.AspNetCore.Http;
using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Aws;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Tests.Backends;

/// <summary>
/// The AWS backends (the SDK's SSM and SQS clients, the signed CloudWatch client) against a scripted AWS JSON
/// endpoint on 127.0.0.1: what goes on the wire and how errors are named. The moto tests run them against an emulator.
/// </summary>
public class AwsBackendsTests
{
    private readonly ConcurrentQueue<(string Target, JsonObject Body)> calls = new();

    private async Task<LoopbackServer> StartAsync()
    {
        return await LoopbackServer.StartAsync(async http =>
        {
            var target = http.Request.Headers["X-Amz-Target"].ToString();
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            calls.Enqueue((target, body));
            var name = body["Name"]?.GetValue<string>();
            var (status, reply) = target switch
            {
                "AmazonSSM.GetParameter" when name == "/missing" => (400, """{"__type":"ParameterNotFound","message":"not found"}"""),
                "AmazonSSM.GetParameter" when name == "/denied" => (400, """{"__type":"AccessDeniedException","message":"not allowed to read /denied"}"""),
                "AmazonSSM.GetParameter" when name == "/throttled" => (400, """{"__type":"ThrottlingException","message":"Rate exceeded"}"""),
                "AmazonSSM.GetParameter" => (200, """{"Parameter":{"Name":"/secret","Type":"SecureString","Value":"{\"enabled\":false}","Version":3}}"""),
                "AmazonSSM.DescribeParameters" => (200, """{"Parameters":[{"Name":"/secret","Type":"SecureString","KeyId":"alias/team","Tier":"Advanced","Version":3}]}"""),
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
    }

    private static AwsParameterStore Store(LoopbackServer app) => new(new AmazonSimpleSystemsManagementClient(
        new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
        new AmazonSimpleSystemsManagementConfig { ServiceURL = app.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }));

    [Fact]
    public async Task A_SecureString_is_read_decrypted_with_its_key_and_tier_and_written_back_as_one()
    {
        await using var app = await StartAsync();
        var store = Store(app);

        var read = await store.GetAsync("/secret", default);
        read.ShouldBe(new StoredParameter("/secret", """{"enabled":false}""") { Type = "SecureString", KeyId = "alias/team", Tier = "Advanced" });
        (await store.GetAsync("/missing", default)).ShouldBeNull();
        await store.PutAsync(read! with { Value = """{"enabled":true}""" }, default);
        await store.DeleteAsync("/gone", default);

        calls.First(c => c.Target == "AmazonSSM.GetParameter").Body["WithDecryption"]!.GetValue<bool>().ShouldBeTrue();
        var put = calls.Single(c => c.Target == "AmazonSSM.PutParameter").Body;
        put["Type"]!.GetValue<string>().ShouldBe("SecureString");
        put["KeyId"]!.GetValue<string>().ShouldBe("alias/team");
        put["Tier"]!.GetValue<string>().ShouldBe("Advanced");
        put["Overwrite"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task A_write_AWS_would_refuse_is_refused_before_it_is_sent()
    {
        await using var app = await StartAsync();
        var store = Store(app);

        var error = await Should.ThrowAsync<BackendException>(() => store.PutAsync(new StoredParameter("/serverless-chaos/functions/big", new string('x', 5000)), default));

        ErrorTypes.For(error).ShouldBe("ParameterInvalid");
        error.Message.ShouldContain("/serverless-chaos/functions/big would be 5000 bytes; the Standard tier holds at most 4096");
        calls.ShouldNotContain(c => c.Target == "AmazonSSM.PutParameter");
    }

    [Fact]
    public async Task Permanent_errors_keep_their_AWS_name_and_transient_ones_are_retried_as_unavailable()
    {
        await using var app = await StartAsync();
        var store = Store(app);

        var denied = await Should.ThrowAsync<BackendException>(() => store.GetAsync("/denied", default));
        denied.IsTransient.ShouldBeFalse();
        ErrorTypes.For(denied).ShouldBe("AccessDeniedException");
        denied.Message.ShouldContain("not allowed to read /denied");

        var throttled = await Should.ThrowAsync<BackendException>(() => store.GetAsync("/throttled", default));
        throttled.IsTransient.ShouldBeTrue();
        ErrorTypes.For(throttled).ShouldBe("BackendUnavailable");

        var queue = new AwsDeadLetterQueue(
            new AmazonSQSClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonSQSConfig { ServiceURL = app.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 }),
            "https://sqs.us-east-1.amazonaws.com/123456789012/dlq");
        var failed = await Should.ThrowAsync<BackendException>(() => queue.SendAsync("{}", default));
        ErrorTypes.For(failed).ShouldBe("BackendUnavailable");
        failed.Message.ShouldContain("boom");
    }

    [Fact]
    public async Task Alarms_carry_their_evaluation_settings_and_composites_get_the_default_period()
    {
        await using var app = await StartAsync();
        var options = new AwsClientOptions
        {
            Region = "us-east-1",
            Credentials = new StaticCredentialsProvider("AKIDEXAMPLE", "secret"),
            Endpoint = app.Url,
            Retry = new AwsRetryOptions { MaxAttempts = 1 },
        };
        var alarms = await new AwsAlarmSource(new CloudWatchClient(options)).DescribeAsync(["latency", "overall"], default);

        alarms.ShouldBe([new AlarmStatus("latency", "ALARM", 60, 3, 2, DateTimeOffset.FromUnixTimeMilliseconds(1763769600250)), new AlarmStatus("overall", "OK", 60, 1, 1)]);
        alarms[0].WorstCaseDetection.ShouldBe(TimeSpan.FromMinutes(3));
    }

    [Fact]
    public async Task The_dead_letter_function_without_a_queue_url_says_so()
    {
        var queue = new AwsDeadLetterQueue(new AmazonSQSClient(new BasicAWSCredentials("AKIDEXAMPLE", "secret"), new AmazonSQSConfig { ServiceURL = "http://127.0.0.1:9" }), null);
        (await Should.ThrowAsync<ControlFunctionException>(() => queue.SendAsync("{}", default))).Message.ShouldContain("SERVERLESS_CHAOS_DLQ_URL is not set");
    }
}
