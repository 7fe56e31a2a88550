using Microsoft.AspNetCore.Http;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Tests.Support;

namespace ServerlessChaos.Aws.Tests.Credentials;

public sealed class CredentialChainTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private readonly FakeEnvironment _env = new(("AWS_EC2_METADATA_DISABLED", "true"));
    private readonly ManualTimeProvider _clock = new(Now);

    public void Dispose() => _env.Dispose();

    private DefaultCredentialsChain Chain() => new(_env, "us-east-1", timeProvider: _clock);

    [Fact]
    public async Task Environment_variables_come_first_with_the_session_token()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV").Set("AWS_SECRET_ACCESS_KEY", "secret").Set("AWS_SESSION_TOKEN", "token");
        _env.WriteHomeFile(".aws/credentials", "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = file\n");
        var chain = Chain();

        var credentials = await chain.GetCredentialsAsync();

        credentials.AccessKeyId.ShouldBe("AKIAENV");
        credentials.SecretAccessKey.ShouldBe("secret");
        credentials.SessionToken.ShouldBe("token");
        chain.ChosenSource.ShouldBe("environment");
    }

    [Fact]
    public async Task An_access_key_without_a_secret_says_which_variable_is_missing()
    {
        _env.Set("AWS_ACCESS_KEY_ID", "AKIAENV");

        var error = await Should.ThrowAsync<AwsCredentialsException>(async () => await Chain().GetCredentialsAsync());

        error.Message.ShouldContain("AWS_SECRET_ACCESS_KEY is not");
    }

    [Fact]
    public async Task The_default_profile_of_the_shared_credentials_file_is_used()
    {
        _env.WriteHomeFile(".aws/credentials", "# comment\n[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s3cr#t ; trailing comment\naws_session_token=tok\n");
        var chain = Chain();

        var credentials = await chain.GetCredentialsAsync();

        credentials.AccessKeyId.ShouldBe("AKIAFILE");
        credentials.SecretAccessKey.ShouldBe("s3cr#t");
        credentials.SessionToken.ShouldBe("tok");
        chain.ChosenSource.ShouldBe("profile");
    }

    [Fact]
    public async Task AWS_PROFILE_selects_a_profile_and_the_file_locations_can_be_overridden()
    {
        var credentialsFile = _env.WriteHomeFile("elsewhere/creds", "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = d\n[ops]\naws_access_key_id = AKIAOPS\naws_secret_access_key = o\n");
        var configFile = _env.WriteHomeFile("elsewhere/config", "[profile ops]\nregion = eu-west-1\n");
        _env.Set("AWS_SHARED_CREDENTIALS_FILE", credentialsFile).Set("AWS_CONFIG_FILE", configFile).Set("AWS_PROFILE", "ops");

        (await Chain().GetCredentialsAsync()).AccessKeyId.ShouldBe("AKIAOPS");
        ServerlessChaos.Aws.Configuration.AwsRegionResolver.Resolve(_env).ShouldBe("eu-west-1");
    }

    [Fact]
    public async Task Keys_in_the_config_file_profile_are_used_and_the_credentials_file_wins()
    {
        _env.WriteHomeFile(".aws/config", "[profile dev]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = c\n[profile both]\naws_access_key_id = AKIACONFIGBOTH\naws_secret_access_key = c\n");
        _env.WriteHomeFile(".aws/credentials", "[both]\naws_access_key_id = AKIACREDSBOTH\naws_secret_access_key = b\n");

        _env.Set("AWS_PROFILE", "dev");
        (await Chain().GetCredentialsAsync()).AccessKeyId.ShouldBe("AKIACONFIG");
        _env.Set("AWS_PROFILE", "both");
        (await Chain().GetCredentialsAsync()).AccessKeyId.ShouldBe("AKIACREDSBOTH");
    }

    [Fact]
    public async Task A_named_profile_that_does_not_exist_is_reported_by_name()
    {
        _env.Set("AWS_PROFILE", "missing");

        var error = await Should.ThrowAsync<AwsCredentialsException>(async () => await Chain().GetCredentialsAsync());

        error.Message.ShouldContain("the AWS profile 'missing' is not in the shared credentials or config file");
    }

    [Fact]
    public async Task Nothing_configured_and_instance_metadata_disabled_says_what_to_set()
    {
        var error = await Should.ThrowAsync<AwsCredentialsException>(async () => await Chain().GetCredentialsAsync());

        error.Message.ShouldContain("no AWS credentials found");
        error.Message.ShouldContain("AWS_ACCESS_KEY_ID");
    }

    [Fact]
    public async Task Web_identity_calls_sts_with_the_token_file_and_caches_until_shortly_before_expiry()
    {
        await using var sts = await FakeAwsServer.StartAsync();
        var expiration = Now.AddHours(1);
        sts.Reply(async context =>
        {
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync($"""
                <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <AssumeRoleWithWebIdentityResult>
                    <Credentials>
                      <AccessKeyId>ASIAWEB</AccessKeyId>
                      <SecretAccessKey>web-secret</SecretAccessKey>
                      <SessionToken>web-token</SessionToken>
                      <Expiration>{expiration:yyyy-MM-ddTHH:mm:ssZ}</Expiration>
                    </Credentials>
                  </AssumeRoleWithWebIdentityResult>
                </AssumeRoleWithWebIdentityResponse>
                """);
        });
        var tokenFile = _env.WriteHomeFile("token", "eyJ.web.identity\n");
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile).Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/chaos").Set("AWS_ROLE_SESSION_NAME", "s1")
            .Set("AWS_ENDPOINT_URL_STS", sts.Url.ToString());
        var chain = Chain();

        var first = await chain.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromMinutes(54));
        var cached = await chain.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromMinutes(2));
        await chain.GetCredentialsAsync();

        chain.ChosenSource.ShouldBe("web identity");
        first.AccessKeyId.ShouldBe("ASIAWEB");
        first.SessionToken.ShouldBe("web-token");
        first.Expiration.ShouldBe(expiration);
        cached.ShouldBeSameAs(first);
        sts.Requests.Count.ShouldBe(2, "one call, then one refresh inside the 5-minute window before expiry");
        var form = sts.Requests.First().BodyText.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
        form["Action"].ShouldBe("AssumeRoleWithWebIdentity");
        form["RoleArn"].ShouldBe("arn:aws:iam::1:role/chaos");
        form["RoleSessionName"].ShouldBe("s1");
        form["WebIdentityToken"].ShouldBe("eyJ.web.identity");
        sts.Requests.First().Header("authorization").ShouldBeNull();
    }

    [Fact]
    public async Task An_sts_error_reply_becomes_a_credentials_error_with_the_status()
    {
        await using var sts = await FakeAwsServer.StartAsync();
        sts.Reply(FakeAwsServer.Raw(400, "<ErrorResponse><Error><Code>InvalidIdentityToken</Code></Error></ErrorResponse>", "text/xml"));
        var tokenFile = _env.WriteHomeFile("token", "bad");
        _env.Set("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile).Set("AWS_ROLE_ARN", "arn:aws:iam::1:role/chaos").Set("AWS_ENDPOINT_URL_STS", sts.Url.ToString());

        var error = await Should.ThrowAsync<AwsCredentialsException>(async () => await Chain().GetCredentialsAsync());

        error.Message.ShouldContain("HTTP 400");
        error.Message.ShouldContain("InvalidIdentityToken");
    }

    [Fact]
    public async Task Container_credentials_send_the_token_from_the_token_file()
    {
        await using var ecs = await FakeAwsServer.StartAsync();
        ecs.Reply(LoopbackServer.Json(200, $$"""{"AccessKeyId":"ASIAECS","SecretAccessKey":"ecs-secret","Token":"ecs-token","Expiration":"{{Now.AddHours(6):yyyy-MM-ddTHH:mm:ssZ}}"}""", contentType: "application/json"));
        var tokenFile = _env.WriteHomeFile("ecs-token", "Bearer-abc\n");
        _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", new Uri(ecs.Url, "v2/credentials/uuid").ToString()).Set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile)
            .Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored-when-a-file-is-set");
        var chain = Chain();

        var credentials = await chain.GetCredentialsAsync();

        chain.ChosenSource.ShouldBe("container");
        credentials.AccessKeyId.ShouldBe("ASIAECS");
        credentials.SessionToken.ShouldBe("ecs-token");
        credentials.Expiration.ShouldBe(Now.AddHours(6));
        var request = ecs.Requests.Single();
        request.Path.ShouldBe("/v2/credentials/uuid");
        request.Header("authorization").ShouldBe("Bearer-abc");
    }

    [Fact]
    public async Task Container_credentials_use_the_token_variable_when_there_is_no_file()
    {
        await using var ecs = await FakeAwsServer.StartAsync();
        ecs.Reply(LoopbackServer.Json(200, """{"AccessKeyId":"ASIAECS","SecretAccessKey":"s","Token":"t"}""", contentType: "application/json"));
        _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.Url.ToString()).Set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "plain-token");

        await Chain().GetCredentialsAsync();

        ecs.Requests.Single().Header("authorization").ShouldBe("plain-token");
    }

    [Fact]
    public void The_relative_uri_points_at_the_ecs_agent_and_plain_http_elsewhere_is_refused()
    {
        _env.Set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc");
        ContainerCredentialsProvider.TryCreate(_env)!.Uri.ShouldBe(new Uri("http://169.254.170.2/v2/credentials/abc"));

        using var other = new FakeEnvironment(("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.org/creds"));
        Should.Throw<AwsCredentialsException>(() => ContainerCredentialsProvider.TryCreate(other)).Message.ShouldContain("loopback or ECS/EKS address");
    }

    [Fact]
    public async Task A_malformed_container_document_is_a_clear_error()
    {
        await using var ecs = await FakeAwsServer.StartAsync();
        ecs.Reply(LoopbackServer.Json(200, """{"AccessKeyId":"ASIAECS"}""", contentType: "application/json"));
        _env.Set("AWS_CONTAINER_CREDENTIALS_FULL_URI", ecs.Url.ToString());

        var error = await Should.ThrowAsync<AwsCredentialsException>(async () => await Chain().GetCredentialsAsync());

        error.Message.ShouldContain("ECS container credentials: the credentials document has no SecretAccessKey");
    }

    [Fact]
    public async Task Instance_metadata_uses_imdsv2_token_then_role_then_credentials()
    {
        await using var imds = await FakeAwsServer.StartAsync();
        imds.Reply(async context =>
        {
            var path = context.Request.Path.Value;
            if (context.Request.Method == "PUT" && path == "/latest/api/token")
            {
                await context.Response.WriteAsync("imds-token");
            }
            else if (context.Request.Headers["X-aws-ec2-metadata-token"] != "imds-token")
            {
                context.Response.StatusCode = 401;
            }
            else if (path == "/latest/meta-data/iam/security-credentials/")
            {
                await context.Response.WriteAsync("chaos-role\n");
            }
            else if (path == "/latest/meta-data/iam/security-credentials/chaos-role")
            {
                await context.Response.WriteAsync($$"""{"Code":"Success","Type":"AWS-HMAC","AccessKeyId":"ASIAEC2","SecretAccessKey":"ec2-secret","Token":"ec2-token","Expiration":"{{Now.AddHours(6):yyyy-MM-ddTHH:mm:ssZ}}"}""");
            }
            else
            {
                context.Response.StatusCode = 404;
            }
        });
        using var env = new FakeEnvironment(("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.Url.ToString()));
        var chain = new DefaultCredentialsChain(env, "us-east-1", timeProvider: _clock);

        var credentials = await chain.GetCredentialsAsync();
        await chain.GetCredentialsAsync();

        chain.ChosenSource.ShouldBe("instance metadata");
        credentials.AccessKeyId.ShouldBe("ASIAEC2");
        credentials.SessionToken.ShouldBe("ec2-token");
        var requests = imds.Requests.ToList();
        requests.Count.ShouldBe(3, "the second call is served from the cache");
        requests[0].Method.ShouldBe("PUT");
        requests[0].Header("x-aws-ec2-metadata-token-ttl-seconds").ShouldBe("21600");
        requests[1].Header("x-aws-ec2-metadata-token").ShouldBe("imds-token");
        requests[2].Path.ShouldBe("/latest/meta-data/iam/security-credentials/chaos-role");
    }

    [Fact]
    public async Task Instance_metadata_that_does_not_answer_is_a_credentials_error()
    {
        await using var imds = await FakeAwsServer.StartAsync();
        imds.Reply(FakeAwsServer.Raw(404, "not here", "text/plain"));
        using var env = new FakeEnvironment(("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.Url.ToString()));

        var error = await Should.ThrowAsync<AwsCredentialsException>(async () => await new DefaultCredentialsChain(env).GetCredentialsAsync());

        error.Message.ShouldContain("EC2 instance metadata (IMDSv2)");
        error.Message.ShouldContain("HTTP 404");
    }

    [Fact]
    public async Task A_failed_refresh_keeps_using_credentials_that_have_not_expired_yet()
    {
        var inner = new ScriptedProvider(new AwsCredentials("A1", "s", "t", Now.AddMinutes(10)));
        var cache = new CachingCredentialsProvider(inner, _clock);

        var first = await cache.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromMinutes(6));
        inner.Fail = true;
        var during = await cache.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));

        during.ShouldBeSameAs(first);
        await Should.ThrowAsync<AwsCredentialsException>(async () => await cache.GetCredentialsAsync());
        inner.Calls.ShouldBe(3);
    }

    [Fact]
    public async Task Credentials_without_expiry_are_fetched_once()
    {
        var inner = new ScriptedProvider(new AwsCredentials("A1", "s"));
        var cache = new CachingCredentialsProvider(inner, _clock);

        await cache.GetCredentialsAsync();
        _clock.Advance(TimeSpan.FromDays(30));
        await cache.GetCredentialsAsync();

        inner.Calls.ShouldBe(1);
    }

    [Fact]
    public void Credentials_never_show_the_secret()
    {
        new AwsCredentials("AKIA1", "very-secret", "tok").ToString().ShouldNotContain("very-secret");
    }

    private sealed class ScriptedProvider(AwsCredentials credentials) : IAwsCredentialsProvider
    {
        public bool Fail { get; set; }

        public int Calls { get; private set; }

        public ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
        {
            Calls++;
            return Fail ? throw new AwsCredentialsException("refresh failed") : ValueTask.FromResult(credentials);
        }
    }
}
