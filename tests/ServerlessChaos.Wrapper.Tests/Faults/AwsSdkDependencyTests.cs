using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

/// <summary>The dependency handler inside the real AWS SDK for .NET, through its HttpClientFactory (as the README shows).</summary>
public class AwsSdkDependencyTests
{
    private sealed class ChaosHttpClientFactory(ChaosWrapper wrapper) : HttpClientFactory
    {
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(wrapper.CreateDependencyHandler(new HttpClientHandler()));
    }

    private static AmazonDynamoDBClient DynamoDb(ChaosWrapper wrapper, Uri endpoint) => new(
        new BasicAWSCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
        new AmazonDynamoDBConfig
        {
            ServiceURL = endpoint.ToString(),
            AuthenticationRegion = "eu-west-1",
            MaxErrorRetry = 0,
            HttpClientFactory = new ChaosHttpClientFactory(wrapper),
        });

    private static GetItemRequest Request() => new() { TableName = "orders", Key = new() { ["id"] = new AttributeValue { S = "1" } } };

    [Fact]
    public async Task The_sdk_raises_the_injected_throttling_error_as_its_own_service_exception_without_calling_out()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.Handler = LoopbackServer.Json(200, "{}", "application/x-amz-json-1.0");
        var harness = new Harness(Documents.Armed("""{"type":"dependency","rate":1,"hosts":["127.0.0.1"],"fault":{"kind":"status","statusCode":400,"errorCode":"ThrottlingException","message":"Rate of requests exceeds the allowed throughput."}}"""));
        using var dynamo = DynamoDb(harness.Wrapper, server.Url);

        var thrown = await Should.ThrowAsync<AmazonDynamoDBException>(() =>
            harness.Wrapper.InvokeAsync("event", harness.Context(), (_, _) => dynamo.GetItemAsync(Request())));

        thrown.ErrorCode.ShouldBe("ThrottlingException");
        thrown.StatusCode.ShouldBe(System.Net.HttpStatusCode.BadRequest);
        thrown.Message.ShouldBe("Rate of requests exceeds the allowed throughput.");
        server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Outside_the_faults_hosts_the_sdk_call_reaches_the_service()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.Handler = LoopbackServer.Json(200, """{"Item":{"id":{"S":"1"}}}""", "application/x-amz-json-1.0");
        var harness = new Harness(Documents.Armed("""{"type":"dependency","rate":1,"hosts":["*.amazonaws.com"],"fault":{"kind":"connection"}}"""));
        using var dynamo = DynamoDb(harness.Wrapper, server.Url);

        var response = await harness.Wrapper.InvokeAsync("event", harness.Context(), (_, _) => dynamo.GetItemAsync(Request()));

        response.Item["id"].S.ShouldBe("1");
        server.Requests.ShouldHaveSingleItem().Headers["x-amz-target"].ShouldBe("DynamoDB_20120810.GetItem");
    }
}
