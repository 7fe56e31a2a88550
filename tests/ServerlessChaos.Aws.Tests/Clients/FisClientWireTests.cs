using System.Text.Json;
using ServerlessChaos.Aws.Fis;
using ServerlessChaos.Aws.Tests.Support;
using static ServerlessChaos.Aws.Tests.Support.FakeAwsServer;
using static ServerlessChaos.Testing.LoopbackServer;

namespace ServerlessChaos.Aws.Tests.Clients;

public sealed class FisClientWireTests : IAsyncLifetime
{
    private const string ExperimentReply = """
        {"experiment":{"id":"EXPabc","arn":"arn:aws:fis:us-east-1:123:experiment/EXPabc","experimentTemplateId":"EXT1",
         "roleArn":"arn:aws:iam::123:role/fis","state":{"status":"running","reason":"Experiment is running."},
         "targets":{},"actions":{"delay":{"actionId":"aws:lambda:invocation-add-delay","state":{"status":"running","reason":"Action is running."},"startTime":1763769600.5}},
         "stopConditions":[{"source":"aws:cloudwatch:alarm","value":"arn:aws:cloudwatch:us-east-1:123:alarm:x"}],
         "creationTime":1763769600.123,"startTime":1763769601,"tags":{"serverless-chaos:managed":"true"},
         "experimentOptions":{"accountTargeting":"single-account","emptyTargetResolutionMode":"fail","actionsMode":"skip-all"}}}
        """;

    private readonly TestClients _clients = new();
    private FakeAwsServer _server = null!;

    public async Task InitializeAsync() => _server = await StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private FisClient Client(int maxAttempts = 3) => new(_clients.Options(_server.Url, maxAttempts));

    [Fact]
    public async Task StartExperiment_posts_template_token_tags_and_skip_all_and_reads_the_experiment()
    {
        _server.Reply(Json(200, ExperimentReply, contentType: "application/json"));

        var experiment = await Client().StartExperimentAsync(new FisStartExperimentRequest
        {
            ExperimentTemplateId = "EXT1",
            ClientToken = "exec-42",
            Tags = new Dictionary<string, string> { ["serverless-chaos:managed"] = "true" },
            ActionsMode = "skip-all",
        });

        experiment.Id.ShouldBe("EXPabc");
        experiment.State.ShouldBe(new FisState("running", "Experiment is running."));
        experiment.ActionsMode.ShouldBe("skip-all");
        experiment.Actions["delay"].ActionId.ShouldBe("aws:lambda:invocation-add-delay");
        experiment.Actions["delay"].State!.Status.ShouldBe("running");
        experiment.CreationTime.ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1763769600123));
        experiment.Tags["serverless-chaos:managed"].ShouldBe("true");
        var request = _server.Requests.Single();
        request.Method.ShouldBe("POST");
        request.Path.ShouldBe("/experiments");
        request.Header("content-type").ShouldBe("application/json");
        request.Header("authorization")!.ShouldContain("/us-east-1/fis/aws4_request");
        request.BodyText.ShouldBe("""{"clientToken":"exec-42","experimentOptions":{"actionsMode":"skip-all"},"experimentTemplateId":"EXT1","tags":{"serverless-chaos:managed":"true"}}""");
    }

    [Fact]
    public void An_unknown_actions_mode_is_rejected_before_sending()
    {
        Should.Throw<ArgumentException>(() => Client().StartExperimentAsync(new FisStartExperimentRequest { ExperimentTemplateId = "EXT1", ClientToken = "t", ActionsMode = "some" }))
            .Message.ShouldContain("ActionsMode must be skip-all or run-all (was 'some')");
        _server.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task Get_and_stop_address_the_experiment_by_an_encoded_id()
    {
        _server.Reply(Json(200, ExperimentReply, contentType: "application/json"));

        await Client().GetExperimentAsync("EXP/1");
        await Client().StopExperimentAsync("EXPabc");

        var requests = _server.Requests.ToList();
        requests[0].Method.ShouldBe("GET");
        requests[0].Path.ShouldBe("/experiments/EXP%2F1");
        requests[0].Body.ShouldBeEmpty();
        requests[1].Method.ShouldBe("DELETE");
        requests[1].Path.ShouldBe("/experiments/EXPabc");
    }

    [Fact]
    public async Task A_missing_experiment_is_a_typed_error_from_the_error_type_header()
    {
        _server.Reply(Json(404, """{"message":"Experiment EXPnope not found."}""", requestId: "fis-rid", contentType: "application/json",
            headers: ("x-amzn-ErrorType", "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.fis/")));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().GetExperimentAsync("EXPnope"));

        error.Service.ShouldBe("FIS");
        error.Operation.ShouldBe("GetExperiment");
        error.ErrorCode.ShouldBe("ResourceNotFoundException");
        error.AwsMessage.ShouldBe("Experiment EXPnope not found.");
        error.RequestId.ShouldBe("fis-rid");
        error.HttpStatus.ShouldBe(404);
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_conflict_on_start_is_not_retried()
    {
        _server.Reply(Json(409, """{"message":"Client token already used"}""", contentType: "application/json", headers: ("x-amzn-ErrorType", "ConflictException")));

        var error = await Should.ThrowAsync<AwsServiceException>(() => Client().StartExperimentAsync(new FisStartExperimentRequest { ExperimentTemplateId = "EXT1", ClientToken = "t" }));

        error.ErrorCode.ShouldBe("ConflictException");
        _server.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Throttling_is_retried_then_succeeds()
    {
        _server.Reply(
            Json(429, """{"message":"Rate exceeded"}""", contentType: "application/json", headers: ("x-amzn-ErrorType", "ThrottlingException")),
            Json(200, ExperimentReply, contentType: "application/json"));

        (await Client().GetExperimentAsync("EXPabc")).Id.ShouldBe("EXPabc");
        _server.Requests.Count.ShouldBe(2);
        _clients.Delays.Count.ShouldBe(1);
    }

    [Fact]
    public async Task ListExperiments_follows_nextToken_and_filters_by_template()
    {
        _server.Reply(
            Json(200, """{"experiments":[{"id":"E1","experimentTemplateId":"EXT1","state":{"status":"completed"},"tags":{}}],"nextToken":"p2"}""", contentType: "application/json"),
            Json(200, """{"experiments":[{"id":"E2","experimentTemplateId":"EXT1","state":{"status":"stopped","reason":"Stopped by user."}}]}""", contentType: "application/json"));

        var experiments = new List<FisExperiment>();
        await foreach (var experiment in Client().ListExperimentsAsync(experimentTemplateId: "EXT1", pageSize: 1))
        {
            experiments.Add(experiment);
        }

        experiments.Select(e => (e.Id, e.State.Status)).ShouldBe([("E1", "completed"), ("E2", "stopped")]);
        var queries = _server.Requests.Select(r => r.Query).ToList();
        queries[0].ShouldBe("?experimentTemplateId=EXT1&maxResults=1");
        queries[1].ShouldBe("?experimentTemplateId=EXT1&maxResults=1&nextToken=p2");
        FisExperimentStatus.IsFinal(experiments[1].State.Status).ShouldBeTrue();
    }

    [Fact]
    public async Task Templates_are_listed_across_pages_and_read_with_actions_and_stop_conditions()
    {
        _server.Reply(
            Json(200, """{"experimentTemplates":[{"id":"EXT1","description":"latency","tags":{"serverless-chaos:managed":"true"},"creationTime":1763769600}],"nextToken":"n"}""", contentType: "application/json"),
            Json(200, """{"experimentTemplates":[{"id":"EXT2"}]}""", contentType: "application/json"),
            Json(200, """{"experimentTemplate":{"id":"EXT1","description":"latency","roleArn":"arn:aws:iam::1:role/r","actions":{"stop":{"actionId":"aws:ecs:stop-task","parameters":{}}},"stopConditions":[{"source":"aws:cloudwatch:alarm","value":"arn:a"}],"tags":{}}}""", contentType: "application/json"));

        var ids = new List<string>();
        await foreach (var summary in Client().ListExperimentTemplatesAsync())
        {
            ids.Add(summary.Id);
        }

        var template = await Client().GetExperimentTemplateAsync("EXT1");

        ids.ShouldBe(["EXT1", "EXT2"]);
        template.Actions["stop"].ShouldBe("aws:ecs:stop-task");
        template.StopConditions.ShouldBe([new FisStopCondition("aws:cloudwatch:alarm", "arn:a")]);
        _server.Requests.Last().Path.ShouldBe("/experimentTemplates/EXT1");
    }

    [Theory]
    [InlineData("""{"experiment":{"id":"E1"}}""", "experiment.state is missing")]
    [InlineData("""{"experiment":{"id":"E1","state":{"status":5}}}""", "experiment.state.status must be a string")]
    [InlineData("""{"experiment":{"id":"E1","state":{"status":"running"},"tags":{"a":1}}}""", "experiment.tags.a must be a string")]
    [InlineData("""{"experiment":{"id":"E1","state":{"status":"running"},"creationTime":"yesterday"}}""", "experiment.creationTime must be a timestamp")]
    public async Task Replies_of_the_wrong_shape_name_the_field(string body, string expected)
    {
        _server.Reply(Json(200, body, contentType: "application/json"));

        var error = await Should.ThrowAsync<AwsMalformedResponseException>(() => Client().GetExperimentAsync("E1"));

        error.Message.ShouldContain(expected);
        error.Operation.ShouldBe("GetExperiment");
    }
}
