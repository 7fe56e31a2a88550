using ServerlessChaos.Aws.CloudWatch;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Aws.Signing;
using ServerlessChaos.Aws.StepFunctions;
using ServerlessChaos.Aws.Tests.Support;
using static ServerlessChaos.Aws.Tests.Reference.ReferenceComparison;

namespace ServerlessChaos.Aws.Tests.Reference;

/// <summary>
/// Our FIS, CloudWatch and Step Functions requests, and a presigned URL, against the AWS SDK
/// for JavaScript v3 (inputs as in record-requests.mjs).
/// </summary>
public sealed class ClientReferenceTests(JsReferenceRequests js) : IClassFixture<JsReferenceRequests>
{
    private const string Arn = "arn:aws:states:us-east-1:123456789012";

    [Fact]
    public async Task Fis_StartExperiment_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new FisClient(o).StartExperimentAsync(new FisStartExperimentRequest
        {
            ExperimentTemplateId = "EXT123abc",
            ClientToken = "run-1",
            Tags = new Dictionary<string, string> { ["serverless-chaos:managed"] = "true", ["run"] = "r 1" },
        }));
        AssertSameRequest(js.Requests["fis.StartExperiment"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task Fis_GetExperiment_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new FisClient(o).GetExperimentAsync("EXP1a2b"));
        AssertSameRequest(js.Requests["fis.GetExperiment"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task Fis_StopExperiment_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new FisClient(o).StopExperimentAsync("EXP1a2b"));
        AssertSameRequest(js.Requests["fis.StopExperiment"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task Fis_ListExperiments_second_page_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(
            async o =>
            {
                await foreach (var _ in new FisClient(o).ListExperimentsAsync(pageSize: 20))
                {
                }
            },
            """{"experiments":[],"nextToken":"n/t="}""");
        AssertSameRequest(js.Requests["fis.ListExperiments"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task Fis_GetExperimentTemplate_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new FisClient(o).GetExperimentTemplateAsync("EXT123abc"));
        AssertSameRequest(js.Requests["fis.GetExperimentTemplate"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task Fis_ListExperimentTemplates_second_page_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(
            async o =>
            {
                await foreach (var _ in new FisClient(o).ListExperimentTemplatesAsync(pageSize: 5))
                {
                }
            },
            """{"experimentTemplates":[],"nextToken":"abc"}""");
        AssertSameRequest(js.Requests["fis.ListExperimentTemplates"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task CloudWatch_DescribeAlarms_second_page_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(
            o => new CloudWatchClient(o).DescribeAlarmsAsync(["checkout-5xx", "checkout p99"], pageSize: 100),
            """{"MetricAlarms":[],"NextToken":"nt"}""");
        AssertSameRequest(js.Requests["cloudwatch.DescribeAlarms"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task CloudWatch_PutMetricData_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new CloudWatchClient(o).PutMetricDataAsync("ServerlessChaos",
        [
            new CloudWatchMetricDatum
            {
                MetricName = "FaultsInjected",
                Value = 1.5,
                Unit = "Count",
                Timestamp = new DateTimeOffset(2026, 11, 21, 23, 59, 0, TimeSpan.Zero),
                Dimensions = [new CloudWatchDimension("Function", "checkout")],
            },
        ]));
        AssertSameRequest(js.Requests["cloudwatch.PutMetricData"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task StepFunctions_StartExecution_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new StepFunctionsClient(o).StartExecutionAsync($"{Arn}:stateMachine:chaos", "run-1", "{\"experiment\":\"x\"}"));
        AssertSameRequest(js.Requests["sfn.StartExecution"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task StepFunctions_StopExecution_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new StepFunctionsClient(o).StopExecutionAsync($"{Arn}:execution:chaos:run-1", "Halted", "operator halt"));
        AssertSameRequest(js.Requests["sfn.StopExecution"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task StepFunctions_DescribeExecution_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new StepFunctionsClient(o).DescribeExecutionAsync($"{Arn}:execution:chaos:run-1"));
        AssertSameRequest(js.Requests["sfn.DescribeExecution"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task StepFunctions_ListExecutions_second_page_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(
            async o =>
            {
                await foreach (var _ in new StepFunctionsClient(o).ListExecutionsAsync($"{Arn}:stateMachine:chaos", StepFunctionsExecutionStatus.Running, pageSize: 10))
                {
                }
            },
            """{"executions":[],"nextToken":"nt"}""");
        AssertSameRequest(js.Requests["sfn.ListExecutions"], ours).ShouldBeTrue();
    }

    [Fact]
    public void Header_signing_of_an_awkward_path_query_and_header_matches_the_JS_SDK_signer()
    {
        var reference = js.Requests["sign.awkward"];
        var request = new SigningRequest("GET", new Uri("http://127.0.0.1:1/exp/./a/../b%20c/%2F/?b=2&a=1%202&c~=x%2Ay"));
        request.SetHeader("x-custom", "  a   b  ");

        SigV4Signer.Sign(request, ReferenceComparison.Credentials, "eu-west-1", "fis", TestClients.FixedTime);

        request.GetHeader("authorization").ShouldBe(reference.Headers["authorization"]);
        request.GetHeader("x-amz-content-sha256").ShouldBe(reference.Headers["x-amz-content-sha256"]);
    }

    [Fact]
    public void Presigned_url_matches_the_JS_SDK_signer()
    {
        var reference = js.Requests["presign.sts"];

        var url = SigV4Signer.Presign(
            "GET",
            new Uri("https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"),
            ReferenceComparison.Credentials,
            "us-east-1",
            "sts",
            TestClients.FixedTime,
            TimeSpan.FromSeconds(900));

        var query = url.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        query.OrderBy(p => p.Key).ShouldBe(reference.Query.OrderBy(p => p.Key));
        url.AbsolutePath.ShouldBe(reference.Path);
    }
}
