using ServerlessChaos.Wrapper.Sources;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Sources;

public class OtherSourcesTests
{
    [Fact]
    public async Task The_extension_source_sends_the_session_token_and_reads_both_parameters()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.Handler = async context =>
        {
            var name = context.Request.Query["name"].ToString();
            if (name == "/serverless-chaos/halt")
            {
                context.Response.StatusCode = 400;
                await Microsoft.AspNetCore.Http.HttpResponseWritingExtensions.WriteAsync(context.Response, "ParameterNotFound: /serverless-chaos/halt");
                return;
            }

            var reply = System.Text.Json.JsonSerializer.Serialize(new { Parameter = new { Name = name, Type = "String", Value = """{"version":1,"enabled":false}""", Version = 7 } });
            await LoopbackServer.Json(200, reply, "application/json")(context);
        };
        using var http = new HttpClient();
        var source = new ExtensionSettingsSource("/serverless-chaos/functions/checkout", endpoint: server.Url, sessionToken: "session-xyz", httpClient: http);

        var document = await source.FetchAsync(CancellationToken.None);

        document.ShouldBe(new SettingsDocument("""{"version":1,"enabled":false}""", null, "/serverless-chaos/functions/checkout#7"));
        server.Requests.Count.ShouldBe(2);
        server.Requests.ShouldAllBe(r => r.Headers["x-aws-parameters-secrets-token"] == "session-xyz");
        server.Requests.Select(r => r.PathAndQuery).ShouldContain("/systemsmanager/parameters/get?name=%2Fserverless-chaos%2Ffunctions%2Fcheckout&withDecryption=true");
    }

    [Fact]
    public async Task The_extension_source_fails_on_an_error_that_is_not_a_missing_parameter()
    {
        await using var server = await LoopbackServer.StartAsync();
        server.Handler = LoopbackServer.Json(500, "internal");
        using var http = new HttpClient();
        var source = new ExtensionSettingsSource("/p", null, server.Url, "t", http);

        await Should.ThrowAsync<HttpRequestException>(() => source.FetchAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task The_file_source_reads_the_file_and_treats_a_missing_file_as_no_parameter()
    {
        var folder = Directory.CreateTempSubdirectory("chaos-file-").FullName;
        try
        {
            var path = Path.Combine(folder, "settings.json");
            var source = new FileSettingsSource(path, Path.Combine(folder, "halt"));
            (await source.FetchAsync(CancellationToken.None)).ShouldBe(new SettingsDocument(null, null));

            await File.WriteAllTextAsync(path, Documents.Disarmed);
            await File.WriteAllTextAsync(Path.Combine(folder, "halt"), "true");
            (await source.FetchAsync(CancellationToken.None)).ShouldBe(new SettingsDocument(Documents.Disarmed, "true"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task The_environment_source_reads_the_named_variables_through_its_reader()
    {
        var variables = new Dictionary<string, string?> { ["CHAOS_SETTINGS"] = Documents.Disarmed, ["CHAOS_HALT"] = "true" };
        var source = new EnvironmentSettingsSource("CHAOS_SETTINGS", "CHAOS_HALT", read: variables.GetValueOrDefault);

        (await source.FetchAsync(CancellationToken.None)).ShouldBe(new SettingsDocument(Documents.Disarmed, "true"));

        variables["CHAOS_HALT"] = null;
        (await source.FetchAsync(CancellationToken.None)).ShouldBe(new SettingsDocument(Documents.Disarmed, null), "read on every fetch");
    }

    [Fact]
    public async Task The_environment_wrapper_reads_a_host_supplied_environment_not_the_process_one()
    {
        Environment.GetEnvironmentVariable(EnvironmentSettingsSource.DefaultVariable).ShouldBeNull("the test process must not carry settings");
        var variables = new Dictionary<string, string?>
        {
            [EnvironmentSettingsSource.DefaultVariable] = Documents.Armed("""{"type":"statusCode","rate":1,"statusCode":503}"""),
        };
        var wrapper = ChaosWrapper.FromEnvironment(
            new ChaosOptions { LogWriter = TextWriter.Null, TimeProvider = new ManualTimeProvider() },
            variables.GetValueOrDefault);

        (await wrapper.GetStatusAsync()).Armed.ShouldBeTrue();
    }

    [Fact]
    public async Task Without_the_opt_in_variable_the_environment_wrapper_injects_nothing()
    {
        Environment.GetEnvironmentVariable(ChaosWrapper.ParameterVariable).ShouldBeNull("the test environment must not opt in");
        var wrapper = ChaosWrapper.FromEnvironment(new ChaosOptions { LogWriter = TextWriter.Null });

        wrapper.IsOptedIn.ShouldBeFalse();
        (await wrapper.GetStatusAsync()).Armed.ShouldBeFalse();
        (await wrapper.InvokeAsync("event", new TestLambdaContext(), (_, _) => Task.FromResult("own"))).ShouldBe("own");
    }

    [Fact]
    public async Task A_host_can_supply_settings_from_its_own_store()
    {
        var store = new Dictionary<string, string> { ["/serverless-chaos/functions/sample"] = Documents.Disarmed };
        var wrapper = new ChaosWrapper(new StoreSource(store, "/serverless-chaos/functions/sample"), new ChaosOptions { LogWriter = TextWriter.Null });

        var status = await wrapper.GetStatusAsync();

        status.IsOptedIn.ShouldBeTrue();
        status.Settings.Enabled.ShouldBeFalse();
    }

    private sealed class StoreSource(Dictionary<string, string> store, string name) : IChaosSettingsSource
    {
        public string Description => $"store:{name}";

        public ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken) =>
            new(new SettingsDocument(store.GetValueOrDefault(name), store.GetValueOrDefault("/serverless-chaos/halt")));
    }
}
