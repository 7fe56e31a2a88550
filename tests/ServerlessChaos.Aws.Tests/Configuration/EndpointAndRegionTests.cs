using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;
using ServerlessChaos.Aws.Tests.Support;

namespace ServerlessChaos.Aws.Tests.Configuration;

public sealed class EndpointAndRegionTests
{
    [Fact]
    public void The_service_specific_variable_wins_over_the_global_one()
    {
        using var env = new FakeEnvironment(("AWS_ENDPOINT_URL", "http://127.0.0.1:4566"), ("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:9999/sfn"));

        AwsEndpointResolver.Resolve(AwsServiceDescription.StepFunctions, "eu-west-1", env).ShouldBe(new Uri("http://127.0.0.1:9999/sfn"));
        AwsEndpointResolver.Resolve(AwsServiceDescription.Fis, "eu-west-1", env).ShouldBe(new Uri("http://127.0.0.1:4566"));
    }

    [Theory]
    [InlineData("FIS", "fis")]
    [InlineData("CLOUDWATCH", "monitoring")]
    [InlineData("SFN", "states")]
    public void Each_service_reads_its_own_variable_and_defaults_to_its_regional_endpoint(string id, string prefix)
    {
        var service = new[] { AwsServiceDescription.Fis, AwsServiceDescription.CloudWatch, AwsServiceDescription.StepFunctions }
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
        AwsEndpointResolver.Resolve(AwsServiceDescription.Fis, "cn-north-1", env).Host.ShouldBe("fis.cn-north-1.amazonaws.com.cn");
    }

    [Fact]
    public void A_bad_override_is_rejected_naming_the_variable()
    {
        using var env = new FakeEnvironment(("AWS_ENDPOINT_URL_FIS", "not a url"));
        Should.Throw<ArgumentException>(() => AwsEndpointResolver.Resolve(AwsServiceDescription.Fis, "us-east-1", env))
            .Message.ShouldContain("AWS_ENDPOINT_URL_FIS must be an absolute http or https URL (was 'not a url')");
    }
}
