using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Local;
using ServerlessChaos.Orchestrator.Local;
using ServerlessChaos.Wrapper;

namespace ServerlessChaos.Orchestrator.Tests.Backends;

/// <summary>The local parameter store over the SSM protocol, checked with the real clients: the AWS SDK's and the wrapper's own.</summary>
public class LocalSsmEndpointTests
{
    private static AmazonSimpleSystemsManagementClient SdkClient(Uri endpoint) => new(
        new BasicAWSCredentials("local-key", "local-secret"),
        new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint.AbsoluteUri, AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    [Fact]
    public async Task The_AWS_SDK_client_puts_gets_lists_and_deletes_parameters_through_the_endpoint()
    {
        var store = new LocalParameterStore();
        await using var ssm = await LocalSsmEndpoint.StartAsync(store);
        using var client = SdkClient(ssm.Url);

        var put = await client.PutParameterAsync(new PutParameterRequest { Name = "/app/a", Value = "1", Type = ParameterType.String });
        await client.PutParameterAsync(new PutParameterRequest { Name = "/app/sub/b", Value = "2", Type = ParameterType.SecureString });
        var overwritten = await client.PutParameterAsync(new PutParameterRequest { Name = "/app/a", Value = "3", Overwrite = true });

        put.Version.ShouldBe(1);
        overwritten.Version.ShouldBe(2);
        store.Get("/app/a").ShouldBe("3");
        var one = await client.GetParameterAsync(new GetParameterRequest { Name = "/app/a", WithDecryption = true });
        one.Parameter.Value.ShouldBe("3");
        one.Parameter.Version.ShouldBe(2);
        one.Parameter.ARN.ShouldBe("arn:aws:ssm:us-east-1:123456789012:parameter/app/a");
        var many = await client.GetParametersAsync(new GetParametersRequest { Names = ["/app/a", "/app/missing"] });
        many.Parameters.Select(p => p.Name).ShouldBe(["/app/a"]);
        many.InvalidParameters.ShouldBe(["/app/missing"]);
        var flat = await client.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app" });
        flat.Parameters.Select(p => p.Name).ShouldBe(["/app/a"]);
        var deep = await client.GetParametersByPathAsync(new GetParametersByPathRequest { Path = "/app", Recursive = true });
        deep.Parameters.Select(p => (p.Name, p.Value)).OrderBy(p => p.Name).ShouldBe([("/app/a", "3"), ("/app/sub/b", "2")]);
        await client.DeleteParameterAsync(new DeleteParameterRequest { Name = "/app/a" });
        store.Get("/app/a").ShouldBeNull();
        ssm.Requests.Select(r => r.Operation).ShouldBe(["PutParameter", "PutParameter", "PutParameter", "GetParameter", "GetParameters", "GetParametersByPath", "GetParametersByPath", "DeleteParameter"]);
    }

    [Fact]
    public async Task The_AWS_SDK_client_sees_SSMs_own_errors_for_a_missing_or_existing_parameter()
    {
        await using var ssm = await LocalSsmEndpoint.StartAsync(new LocalParameterStore());
        using var client = SdkClient(ssm.Url);
        await client.PutParameterAsync(new PutParameterRequest { Name = "/app/a", Value = "1", Type = ParameterType.String });

        var missing = await Should.ThrowAsync<ParameterNotFoundException>(() => client.GetParameterAsync(new GetParameterRequest { Name = "/app/none" }));
        missing.Message.ShouldBe("Parameter /app/none not found.");
        await Should.ThrowAsync<ParameterNotFoundException>(() => client.DeleteParameterAsync(new DeleteParameterRequest { Name = "/app/none" }));
        await Should.ThrowAsync<ParameterAlreadyExistsException>(() => client.PutParameterAsync(new PutParameterRequest { Name = "/app/a", Value = "2", Type = ParameterType.String }));
    }

    [Theory]
    [InlineData(null, "MissingAuthenticationTokenException")]
    [InlineData("Bearer abc", "IncompleteSignatureException")]
    [InlineData("AWS4-HMAC-SHA256 Credential=k/20261201/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000", "InvalidSignatureException")]
    public async Task A_request_without_a_well_formed_SigV4_authorization_for_ssm_is_refused_in_SSMs_error_shape(string? authorization, string errorType)
    {
        await using var ssm = await LocalSsmEndpoint.StartAsync(new LocalParameterStore());
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, ssm.Url) { Content = new StringContent("""{"Name":"/x"}""", Encoding.UTF8, "application/x-amz-json-1.1") };
        request.Headers.Add("X-Amz-Target", "AmazonSSM.GetParameter");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var reply = await http.SendAsync(request);

        reply.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var body = System.Text.Json.Nodes.JsonNode.Parse(await reply.Content.ReadAsStringAsync())!;
        body["__type"]!.GetValue<string>().ShouldBe(errorType);
        body["message"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task The_wrappers_own_SSM_reader_given_only_environment_variables_reads_the_armed_settings_and_the_halt()
    {
        var store = new LocalParameterStore();
        await using var ssm = await LocalSsmEndpoint.StartAsync(store);
        var reads = new System.Collections.Concurrent.ConcurrentQueue<(string Name, string? Value)>();
        ssm.ParameterRead += (name, value) => reads.Enqueue((name, value));
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToString("O");
        var armed = $$"""{"version":1,"enabled":true,"expiresAt":"{{expires}}","faults":[{"type":"statusCode","rate":0.5,"statusCode":503}]}""";
        store.Put(new StoredParameter("/serverless-chaos/functions/my-fn", armed));
        var environment = new Dictionary<string, string>
        {
            ["SERVERLESS_CHAOS_PARAMETER"] = "/serverless-chaos/functions/my-fn",
            ["AWS_ENDPOINT_URL_SSM"] = ssm.Url.AbsoluteUri,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ACCESS_KEY_ID"] = "local",
            ["AWS_SECRET_ACCESS_KEY"] = "local",
        };

        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null }, name => environment.GetValueOrDefault(name));
        var status = await wrapper.GetStatusAsync();

        status.IsOptedIn.ShouldBeTrue();
        status.Armed.ShouldBeTrue();
        status.Halted.ShouldBeFalse();
        status.Settings.Faults.ShouldHaveSingleItem();
        ssm.Requests.ShouldContain(r => r.Operation == "GetParameters" && r.Status == 200);
        // What each read answered, a missing name as null: what the game day watches to know the service has its settings.
        reads.OrderBy(r => r.Name, StringComparer.Ordinal).ShouldBe([("/serverless-chaos/functions/my-fn", armed), (ChaosConventions.HaltParameter, null)]);

        store.Put(new StoredParameter(ChaosConventions.HaltParameter, "true"));
        var halted = await ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null }, name => environment.GetValueOrDefault(name)).GetStatusAsync();
        halted.Halted.ShouldBeTrue();
        reads.ShouldContain((ChaosConventions.HaltParameter, "true"));
    }
}
