using ServerlessChaos.Aws.Ssm;
using static ServerlessChaos.Aws.Tests.Reference.ReferenceComparison;

namespace ServerlessChaos.Aws.Tests.Reference;

/// <summary>Our SSM requests against the AWS SDK for JavaScript v3 (inputs as in record-requests.mjs).</summary>
public sealed class SsmReferenceTests(JsReferenceRequests js) : IClassFixture<JsReferenceRequests>
{
    [Fact]
    public async Task GetParameter_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new SsmClient(o).GetParameterAsync("/serverless-chaos/functions/checkout", withDecryption: true));
        AssertSameRequest(js.Requests["ssm.GetParameter"], ours).ShouldBeTrue("the body bytes should be identical");
    }

    [Fact]
    public async Task GetParameters_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new SsmClient(o).GetParametersAsync(["/a", "/b c"]));
        AssertSameRequest(js.Requests["ssm.GetParameters"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task GetParametersByPath_second_page_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(
            async o =>
            {
                await foreach (var _ in new SsmClient(o).GetParametersByPathAsync("/serverless-chaos/functions/", recursive: true, pageSize: 10))
                {
                }
            },
            """{"Parameters":[],"NextToken":"tok/+="}""");
        AssertSameRequest(js.Requests["ssm.GetParametersByPath"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task PutParameter_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new SsmClient(o).PutParameterAsync(new SsmPutParameterRequest
        {
            Name = "/serverless-chaos/halt",
            Value = "{\"halted\":true}",
            Type = "String",
            Overwrite = true,
            Description = "halt everything",
        }));
        AssertSameRequest(js.Requests["ssm.PutParameter"], ours).ShouldBeTrue();
    }

    [Fact]
    public async Task DeleteParameter_matches_the_JS_SDK()
    {
        var ours = await CaptureAsync(o => new SsmClient(o).DeleteParameterAsync("/x y"));
        AssertSameRequest(js.Requests["ssm.DeleteParameter"], ours).ShouldBeTrue();
    }
}
