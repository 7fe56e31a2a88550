using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.SQS.Model;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Aws;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Tests.Moto;

/// <summary>The AWS backends and the control functions against moto with signature checking and IAM evaluation on.</summary>
[Collection(MotoCollection.Name)]
public class AwsBackendsOnMotoTests(MotoFixture moto)
{
    private static string Unique(string prefix) => $"/{prefix}-{Guid.NewGuid():N}"[..30];

    [Fact]
    public async Task String_SecureString_and_StringList_come_back_with_their_type_key_and_tier()
    {
        var store = new AwsParameterStore(moto.Admin.CreateSsm());
        var root = Unique("fidelity");
        StoredParameter[] written =
        [
            new($"{root}/plain", """{"version":1}"""),
            new($"{root}/secret", """{"version":1,"token":"s3cr3t"}""") { Type = ParameterTypes.SecureString, KeyId = "alias/aws/ssm" },
            new($"{root}/list", "a,b,c") { Type = ParameterTypes.StringList },
            new($"{root}/big", new string('x', 6000)) { Tier = ParameterTiers.Advanced },
        ];
        foreach (var parameter in written)
        {
            await store.PutAsync(parameter, default);
        }

        foreach (var parameter in written)
        {
            (await store.GetAsync(parameter.Name, default)).ShouldBe(parameter);
        }

        (await store.ListAsync(root, default)).ShouldBe(written.OrderBy(p => p.Name, StringComparer.Ordinal));

        // Without decryption moto hands back its stand-in ciphertext ("kms:<key>:..."): the store asked for the plain text.
        var raw = await moto.Server.Boto3Async($$"""print(boto3.client("ssm", **kw).get_parameter(Name="{{root}}/secret")["Parameter"]["Value"])""");
        raw.ShouldStartWith("kms:alias/aws/ssm:");
    }

    [Fact]
    public async Task Listing_follows_every_page_and_a_missing_parameter_is_absent()
    {
        var store = new AwsParameterStore(moto.Admin.CreateSsm());
        var root = Unique("pages");
        for (var i = 0; i < 23; i++)
        {
            await store.PutAsync(new StoredParameter($"{root}/fn-{i:00}", $"v{i}"), default);
        }

        var listed = await store.ListAsync(root + "/", default);

        listed.Select(p => p.Name).ShouldBe(Enumerable.Range(0, 23).Select(i => $"{root}/fn-{i:00}"));
        (await store.GetAsync(root + "/missing", default)).ShouldBeNull();
        await store.DeleteAsync(root + "/missing", default);
        await store.DeleteAsync(root + "/fn-00", default);
        (await store.GetAsync(root + "/fn-00", default)).ShouldBeNull();
    }

    [Fact]
    public async Task A_bad_signature_and_a_denied_action_are_permanent_errors_under_their_own_names()
    {
        var forged = AwsAccess.From(RegionEndpoint.USEast1, new BasicAWSCredentials(moto.Server.Admin.AccessKeyId, "not-the-secret"), moto.Server.Url);
        var badSignature = await Should.ThrowAsync<BackendException>(() => new AwsParameterStore(forged.CreateSsm()).GetAsync("/any", default));
        badSignature.IsTransient.ShouldBeFalse(badSignature.Message);
        ErrorTypes.For(badSignature).ShouldNotBe("BackendUnavailable");
        badSignature.Message.ShouldContain("signature", Case.Insensitive);

        var denied = await Should.ThrowAsync<BackendException>(() =>
            new AwsParameterStore(moto.Access(moto.Server.DeniedPut).CreateSsm()).PutAsync(new StoredParameter(Unique("denied"), "x"), default));
        denied.IsTransient.ShouldBeFalse(denied.Message);
        ErrorTypes.For(denied).ShouldStartWith("AccessDenied");
        denied.Message.ShouldContain("ssm:PutParameter");
    }

    [Fact]
    public async Task A_dead_letter_reaches_the_queue()
    {
        var sqs = moto.Admin.CreateSqs();
        var url = (await sqs.CreateQueueAsync("chaos-dlq-" + Guid.NewGuid().ToString("N")[..8])).QueueUrl;

        var id = await new AwsDeadLetterQueue(sqs, url).SendAsync("""{"kind":"serverless-chaos.experiment-failed"}""", default);

        var received = (await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 1 })).Messages.ShouldHaveSingleItem();
        received.MessageId.ShouldBe(id);
        received.Body.ShouldBe("""{"kind":"serverless-chaos.experiment-failed"}""");
    }

    [Fact]
    public async Task Alarms_are_read_by_the_signed_client_with_the_SDKs_credentials()
    {
        var name = "latency-" + Guid.NewGuid().ToString("N")[..8];
        await moto.Server.Boto3Async($$"""
            cw = boto3.client("cloudwatch", **kw)
            cw.put_metric_alarm(AlarmName="{{name}}", MetricName="Latency", Namespace="App", Statistic="Average", Period=60, EvaluationPeriods=3, DatapointsToAlarm=2, Threshold=1, ComparisonOperator="GreaterThanThreshold")
            cw.set_alarm_state(AlarmName="{{name}}", StateValue="ALARM", StateReason="test")
            """);
        var backends = BackendsFactory.ForAws(moto.Admin, new ControlPlaneOptions(), TimeProvider.System);

        var alarm = (await backends.Alarms.DescribeAsync([name, "missing"], default)).ShouldHaveSingleItem();

        (alarm.Name, alarm.State, alarm.PeriodSeconds, alarm.EvaluationPeriods, alarm.DatapointsToAlarm).ShouldBe((name, "ALARM", 60, 3, 2));
    }

    [Fact]
    public async Task The_control_functions_arm_a_SecureString_and_roll_it_back_exactly_on_moto()
    {
        var alarm = "steady-" + Guid.NewGuid().ToString("N")[..8];
        await moto.Server.Boto3Async($$"""
            cw = boto3.client("cloudwatch", **kw)
            cw.put_metric_alarm(AlarmName="{{alarm}}", MetricName="Errors", Namespace="App", Statistic="Sum", Period=10, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold")
            cw.set_alarm_state(AlarmName="{{alarm}}", StateValue="OK", StateReason="test")
            """);
        var target = "/serverless-chaos/functions/moto-" + Guid.NewGuid().ToString("N")[..8];
        // moto 5.2.1 has FIS templates but no experiments API: the project's own FIS engine stands in for FIS.
        var backends = BackendsFactory.ForAws(moto.Admin, new ControlPlaneOptions(), TimeProvider.System)
            with { Fis = new Orchestrator.Backends.Local.LocalBackends(null, TimeProvider.System).ToControlPlaneBackends().Fis };
        var prior = new StoredParameter(target, """{"version":1,"enabled":false,"apiKey":"s3cr3t"}""") { Type = ParameterTypes.SecureString, KeyId = "alias/aws/ssm" };
        await backends.Parameters.PutAsync(prior, default);
        var functions = new ControlFunctions(backends, new ControlPlaneOptions(), TimeProvider.System);
        var execution = "moto-" + Guid.NewGuid().ToString("N")[..8];
        var state = new JsonObject
        {
            ["input"] = new JsonObject
            {
                ["version"] = 1,
                ["name"] = "moto-run",
                ["hypothesis"] = new JsonObject { ["alarms"] = new JsonArray(alarm), ["recoveryWindowSeconds"] = 0 },
                ["faults"] = new JsonArray(new JsonObject { ["wrapper"] = new JsonObject { ["parameter"] = target, ["settings"] = JsonNode.Parse("""{"faults":[{"type":"latency","rate":1,"minMs":10,"maxMs":10}]}""") } }),
                ["durationSeconds"] = 30,
                ["pollIntervalSeconds"] = 5,
                ["abortBudgetSeconds"] = 60,
            },
            ["execution"] = new JsonObject { ["id"] = "arn:aws:states:us-east-1:123456789012:execution:sm:" + execution, ["name"] = execution },
        }.ToJsonString();
        foreach (var step in new[] { "validate", "preflight", "arm" })
        {
            state = await functions.InvokeAsync(step, state, default);
        }

        var armed = (await backends.Parameters.GetAsync(target, default))!;
        armed.Type.ShouldBe(ParameterTypes.SecureString);
        armed.Value.ShouldContain("\"enabled\":true");
        (await backends.Parameters.GetAsync("/serverless-chaos/ledger/" + execution, default))!.Type.ShouldBe(ParameterTypes.SecureString);

        state = await functions.InvokeAsync("rollback", state, default);

        JsonNode.Parse(state)!["rollback"]!["completed"]!.GetValue<bool>().ShouldBeTrue();
        (await backends.Parameters.GetAsync(target, default)).ShouldBe(prior);
        (await backends.Parameters.GetAsync("/serverless-chaos/ledger/" + execution, default)).ShouldBeNull();
    }
}
