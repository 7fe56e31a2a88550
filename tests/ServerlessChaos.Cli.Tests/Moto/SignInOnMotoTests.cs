using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessChaos.Cli.Tests.Support;
using ServerlessChaos.Orchestrator.Backends;

namespace ServerlessChaos.Cli.Tests.Moto;

/// <summary>
/// The real <c>chaos</c> process signing in the way operators do, through the AWS SDK's credential chain: an SSO profile
/// (sso-session and a cached token) against a loopback SSO portal, and an assume-role profile against moto's STS. Every
/// file is in a temp HOME; the only keys anywhere are the ones the profile leads to.
/// </summary>
[Collection(MotoCollection.Name)]
public class SignInOnMotoTests(MotoFixture moto)
{
    private readonly string run = Guid.NewGuid().ToString("N")[..8];

    private async Task<string> ArmedParameterAsync()
    {
        var name = $"/chaos-{run}/functions/checkout";
        var expires = DateTimeOffset.UtcNow.AddMinutes(10).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        await moto.AdminParameters.PutAsync(new StoredParameter(name, $$"""{"version":1,"enabled":true,"expiresAt":"{{expires}}","faults":[{"type":"latency","rate":1,"minMs":1,"maxMs":1}]}"""), default);
        return name;
    }

    private async Task ShouldBeDisarmedAsync(string name) =>
        JsonNode.Parse((await moto.AdminParameters.GetAsync(name, default))!.Value)!["enabled"]!.GetValue<bool>().ShouldBeFalse();

    private Dictionary<string, string> Environment(string profile) => new()
    {
        ["AWS_PROFILE"] = profile,
        ["SERVERLESS_CHAOS_PARAMETER_PREFIX"] = $"/chaos-{run}/functions/",
        ["SERVERLESS_CHAOS_LEDGER_PREFIX"] = $"/chaos-{run}/ledger/",
    };

    [Fact]
    public async Task An_SSO_profile_with_a_cached_token_gets_role_credentials_from_the_portal_and_uses_them_on_SSM()
    {
        var name = await ArmedParameterAsync();
        // What the portal hands out are a role's temporary credentials: moto's STS issues real ones for the test's role.
        var role = JsonNode.Parse(await moto.Server.Boto3Async($"""print(json.dumps(boto3.client("sts", **kw).assume_role(RoleArn="{moto.Server.RoleArn}", RoleSessionName="sso")["Credentials"], default=str))"""))!;
        await using var portal = await LoopbackServer.StartAsync();
        var asked = new List<string>();
        portal.Handler = context =>
        {
            lock (asked)
            {
                asked.Add($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} token={context.Request.Headers["x-amz-sso_bearer_token"]}");
            }

            var expiration = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
            return context.Request.Headers["x-amz-sso_bearer_token"] == "cached-portal-token"
                ? LoopbackServer.Json(200, $$$"""{"roleCredentials":{"accessKeyId":"{{{role["AccessKeyId"]}}}","secretAccessKey":"{{{role["SecretAccessKey"]}}}","sessionToken":"{{{role["SessionToken"]}}}","expiration":{{{expiration}}}}}""", "application/json")(context)
                : LoopbackServer.Json(401, """{"message":"Session token not found or invalid"}""", "application/json", headers: ("x-amzn-ErrorType", "UnauthorizedException"))(context);
        };
        var home = TestPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(home, ".aws", "sso", "cache"));
        await File.WriteAllTextAsync(Path.Combine(home, ".aws", "config"), """
            [profile sso-operator]
            sso_session = corp
            sso_account_id = 123456789012
            sso_role_name = ChaosOperator
            region = us-east-1

            [sso-session corp]
            sso_start_url = https://corp.example/start
            sso_region = us-east-1
            sso_registration_scopes = sso:account:access
            """);
        var cacheFile = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("corp"))) + ".json";
        await File.WriteAllTextAsync(Path.Combine(home, ".aws", "sso", "cache", cacheFile), """
            {"startUrl":"https://corp.example/start","region":"us-east-1","accessToken":"cached-portal-token","expiresAt":"2099-01-01T00:00:00Z",
             "clientId":"client","clientSecret":"secret","registrationExpiresAt":"2099-01-01T00:00:00Z","refreshToken":"refresh"}
            """);
        var environment = Environment("sso-operator");
        environment["AWS_ENDPOINT_URL_SSO"] = portal.Url.ToString().TrimEnd('/');
        environment["AWS_ENDPOINT_URL_SSM"] = moto.Server.Url.ToString().TrimEnd('/');

        var disarm = await ChaosProcess.RunAsync(home, environment, "disarm", "checkout");

        disarm.ExitCode.ShouldBe(0, disarm.Out + disarm.Error);
        asked.ShouldContain(a => a.StartsWith("GET /federation/credentials?", StringComparison.Ordinal) && a.Contains("role_name=ChaosOperator", StringComparison.Ordinal)
            && a.Contains("account_id=123456789012", StringComparison.Ordinal) && a.EndsWith("token=cached-portal-token", StringComparison.Ordinal));
        await ShouldBeDisarmedAsync(name);
    }

    [Fact]
    public async Task An_assume_role_profile_gets_the_roles_credentials_from_STS_and_writes_what_its_source_user_may_not()
    {
        var name = await ArmedParameterAsync();
        var home = TestPaths.NewTempDirectory();
        Directory.CreateDirectory(Path.Combine(home, ".aws"));
        // The source user is denied ssm:PutParameter: only the role's credentials can disarm.
        await File.WriteAllTextAsync(Path.Combine(home, ".aws", "credentials"), $"""
            [source]
            aws_access_key_id = {moto.Server.DeniedPut.AccessKeyId}
            aws_secret_access_key = {moto.Server.DeniedPut.SecretAccessKey}
            """);
        await File.WriteAllTextAsync(Path.Combine(home, ".aws", "config"), $"""
            [profile operator]
            role_arn = {moto.Server.RoleArn}
            source_profile = source
            region = us-east-1
            """);
        var environment = Environment("operator");
        environment["AWS_ENDPOINT_URL"] = moto.Server.Url.ToString().TrimEnd('/');
        environment["AWS_ENDPOINT_URL_STS"] = moto.Server.Url.ToString().TrimEnd('/');

        var disarm = await ChaosProcess.RunAsync(home, environment, "disarm", "checkout");

        disarm.ExitCode.ShouldBe(0, disarm.Out + disarm.Error);
        await ShouldBeDisarmedAsync(name);

        // The same command with the source user's own keys is refused: the role's credentials made the difference.
        environment["AWS_PROFILE"] = "source";
        environment["AWS_REGION"] = MotoServer.Region;
        await moto.AdminParameters.PutAsync(new StoredParameter(name, (await moto.AdminParameters.GetAsync(name, default))!.Value.Replace("\"enabled\":false", "\"enabled\":true", StringComparison.Ordinal)), default);
        var refused = await ChaosProcess.RunAsync(home, environment, "disarm", "checkout");
        refused.ExitCode.ShouldNotBe(0);
        (refused.Out + refused.Error).ShouldContain("ssm:PutParameter");
    }
}
