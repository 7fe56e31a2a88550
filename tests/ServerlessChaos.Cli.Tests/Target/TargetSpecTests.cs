using System.Text.Json.Nodes;
using ServerlessChaos.Cli.GameDay.Target;
using ServerlessChaos.Cli.Tests.Support;

namespace ServerlessChaos.Cli.Tests.Target;

public class TargetSpecTests
{
    private static TargetSpec Parse(string json, bool allowRemote = false) =>
        TargetSpec.Parse(JsonNode.Parse(json)!.AsObject(), "gameday.json", TestPaths.RepositoryRoot, allowRemote);

    [Fact]
    public void A_url_target_takes_the_default_SSM_port_and_the_environment_names_the_endpoint_region_dummy_keys_and_parameter()
    {
        var spec = Parse("""{ "url": "http://127.0.0.1:8080", "parameters": ["/serverless-chaos/functions/my-api"] }""");

        spec.Url.ShouldBe(new Uri("http://127.0.0.1:8080/"));
        spec.Command.ShouldBeNull();
        spec.SsmPort.ShouldBe(TargetSpec.DefaultSsmPort);
        spec.ServiceEnvironment(new Uri("http://127.0.0.1:4590/")).ShouldBe(
        [
            new("AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:4590"),
            new("AWS_REGION", "us-east-1"),
            new("AWS_ACCESS_KEY_ID", "local"),
            new("AWS_SECRET_ACCESS_KEY", "local"),
            new("SERVERLESS_CHAOS_PARAMETER", "/serverless-chaos/functions/my-api"),
            new("SERVERLESS_CHAOS_IDLE_TTL", "1s"),
            new("SERVERLESS_CHAOS_ARMED_TTL", "1s"),
        ]);
    }

    [Fact]
    public void A_command_target_keeps_its_args_env_readiness_path_and_timeout()
    {
        var spec = Parse("""
            { "url": "http://localhost:9000/", "parameters": ["/p"], "ssmPort": 0,
              "command": { "file": "dotnet", "args": ["run", "--project", "src/MyApi"], "env": { "ASPNETCORE_URLS": "http://127.0.0.1:9000" }, "workingDirectory": "src", "readinessPath": "/health", "readinessTimeoutSeconds": 30 } }
            """);

        spec.SsmPort.ShouldBe(0);
        spec.Command!.File.ShouldBe("dotnet");
        spec.Command.Args.ShouldBe(["run", "--project", "src/MyApi"]);
        spec.Command.Environment["ASPNETCORE_URLS"].ShouldBe("http://127.0.0.1:9000");
        spec.Command.WorkingDirectory.ShouldBe(Path.Combine(Path.GetFullPath(TestPaths.RepositoryRoot), "src"));
        spec.Command.ReadinessPath.ShouldBe("/health");
        spec.Command.ReadinessTimeout.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Every_problem_is_listed_naming_its_field()
    {
        var error = Should.Throw<CliException>(() => Parse("""
            { "url": "ftp://x", "parameters": ["no-slash"], "ssmPort": 70000, "port": 1,
              "command": { "args": "run", "readinessPath": "health", "readinessTimeoutSeconds": 0 } }
            """));

        error.Message.ShouldStartWith("gameday.json: the target section has problems:");
        error.Message.ShouldContain("target.port is not a known field (known: url, command, parameters, ssmPort)");
        error.Message.ShouldContain("target.url must be an http(s) URL (was \"ftp://x\")");
        error.Message.ShouldContain("target.parameters[0] must be a parameter name starting with '/' (was \"no-slash\")");
        error.Message.ShouldContain("target.ssmPort must be a port number between 0 and 65535 (was 70000)");
        error.Message.ShouldContain("target.command.file is required");
        error.Message.ShouldContain("target.command.args must be a list of strings");
        error.Message.ShouldContain("target.command.readinessPath must be a path starting with '/' (was health)");
        error.Message.ShouldContain("target.command.readinessTimeoutSeconds must be a number of seconds between 1 and 600 (was 0)");
    }

    [Fact]
    public void A_target_off_this_machine_is_refused_unless_remote_targets_are_allowed()
    {
        Should.Throw<CliException>(() => Parse("""{ "url": "https://api.example.com/", "parameters": ["/p"] }"""))
            .Message.ShouldContain("target.url https://api.example.com/ is not on 127.0.0.1 or localhost");

        Parse("""{ "url": "https://api.example.com/", "parameters": ["/p"] }""", allowRemote: true).Url.Host.ShouldBe("api.example.com");
    }

    [Fact]
    public void A_url_target_cannot_ask_for_any_free_SSM_port_because_the_service_must_be_told_it_first()
    {
        Should.Throw<CliException>(() => Parse("""{ "url": "http://127.0.0.1:8080/", "parameters": ["/p"], "ssmPort": 0 }"""))
            .Message.ShouldContain("target.ssmPort is 0 (any free port), but a service you start yourself must be given the port before the game day runs");
    }
}
