using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.Ssm;
using ServerlessChaos.Aws.Tests.Support;

namespace ServerlessChaos.Aws.Tests.Configuration;

public sealed class EndpointAndRegionTests
{
    [Fact]
    public void The_service_specific_variable_wins_over_the_global_one()
    {
        using var env = new FakeEnvironment(("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:9999/ssm"));

        AwsEndpointResolver.Resolve(AwsServiceDescription.Ssm, "eu-west-1", env).ShouldBe(new Uri("http://127.0.0.1:9999/ssm"));
        AwsEndpointResolver.Resolve(AwsServiceDescription.Sqs, "eu-west-1", env).ShouldBe(new Uri("http://127.0.0.1:4566"));
    }

    [Theory]
    [InlineData("SSM", "ssm")]
    [InlineData("SQS", "sqs")]
    [InlineData("FIS", "fis")]
    [InlineData("CLOUDWATCH", "monitoring")]
    [InlineData("SFN", "states")]
    [InlineData("STS", "sts")]
    public void Each_service_reads_its_own_variable_and_defaults_to_its_regional_endpoint(string id, string prefix)
    {
        var service = new[] { AwsServiceDescription.Ssm, AwsServiceDescription.Sqs, AwsServiceDescription.Fis, AwsServiceDescription.CloudWatch, AwsServiceDescription.StepFunctions, AwsServiceDescription.Sts }
            .Single(s => s.EndpointId == id);
        using var empty = new FakeEnvironment();
        using var overridden = new FakeEnvironment(($"AWS_ENDPOINT_URL_{id}", "http://localhost:1234"));

        AwsEndpointResolver.Resolve(service, "eu-central-1", empty).ShouldBe(new Uri($"https://{prefix}.eu-central-1.amazonaws.com/"));
        AwsEndpointResolver.Resolve(service, "eu-central-1", overridden).ShouldBe(new Uri("http://localhost:1234"));
    }

    [Fact]
    public void China_regions_use_the_china_domain()
    {
        using var env = new FakeEnvironment();
        AwsEndpointResolver.Resolve(AwsServiceDescription.Ssm, "cn-north-1", env).Host.ShouldBe("ssm.cn-north-1.amazonaws.com.cn");
    }

    [Fact]
    public void A_bad_override_is_rejected_naming_the_variable()
    {
        using var env = new FakeEnvironment(("AWS_ENDPOINT_URL_SSM", "not a url"));
        Should.Throw<ArgumentException>(() => AwsEndpointResolver.Resolve(AwsServiceDescription.Ssm, "us-east-1", env))
            .Message.ShouldContain("AWS_ENDPOINT_URL_SSM must be an absolute http or https URL (was 'not a url')");
    }

    [Fact]
    public void Region_comes_from_AWS_REGION_then_AWS_DEFAULT_REGION_then_the_profile()
    {
        using var env = new FakeEnvironment();
        env.WriteHomeFile(".aws/config", "[default]\nregion = ap-south-1\n[profile ops]\nregion = sa-east-1\n");

        AwsRegionResolver.Resolve(env).ShouldBe("ap-south-1");
        env.Set("AWS_PROFILE", "ops");
        AwsRegionResolver.Resolve(env).ShouldBe("sa-east-1");
        env.Set("AWS_DEFAULT_REGION", "eu-north-1");
        AwsRegionResolver.Resolve(env).ShouldBe("eu-north-1");
        env.Set("AWS_REGION", "us-west-2");
        AwsRegionResolver.Resolve(env).ShouldBe("us-west-2");
    }

    [Fact]
    public void FromEnvironment_without_a_region_says_how_to_set_one()
    {
        using var env = new FakeEnvironment(("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "secret"));
        Should.Throw<ArgumentException>(() => AwsClientOptions.FromEnvironment(env)).Message.ShouldContain("AWS_REGION");
    }

    [Fact]
    public async Task A_client_built_from_the_environment_uses_the_endpoint_override_and_the_env_credentials()
    {
        await using var server = await FakeAwsServer.StartAsync();
        server.Reply(LoopbackServer.Json(200, """{"Parameter":{"Name":"/a","Type":"String","Value":"from-env","Version":1}}"""));
        using var env = new FakeEnvironment(
            ("AWS_REGION", "eu-west-3"),
            ("AWS_ACCESS_KEY_ID", "AKIAENV"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
            ("AWS_SESSION_TOKEN", "env-token"),
            ("AWS_ENDPOINT_URL_SSM", server.Url.ToString()));

        var client = SsmClient.FromEnvironment(env);
        (await client.GetParameterAsync("/a")).Value.ShouldBe("from-env");

        client.Endpoint.ShouldBe(server.Url);
        var request = server.Requests.Single();
        request.Header("authorization")!.ShouldContain("Credential=AKIAENV/");
        request.Header("authorization")!.ShouldContain("/eu-west-3/ssm/aws4_request");
        request.Header("x-amz-security-token").ShouldBe("env-token");
    }
}
