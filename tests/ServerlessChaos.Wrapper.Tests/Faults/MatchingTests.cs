using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public class MatchingTests
{
    private static async Task<int> StatusFor(string match, APIGatewayHttpApiV2ProxyRequest request)
    {
        var harness = new Harness(Documents.Armed($$"""{"type":"statusCode","rate":1,"statusCode":503,"match":{{match}}}"""));
        var response = await harness.Wrapper.InvokeAsync(request, harness.Context(),
            (_, _) => Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 }));
        return response.StatusCode;
    }

    private static APIGatewayHttpApiV2ProxyRequest Request(string method = "GET", string path = "/api/orders", Dictionary<string, string>? headers = null) => new()
    {
        RawPath = path,
        Headers = headers ?? new Dictionary<string, string>(),
        RequestContext = new() { Http = new() { Method = method, Path = path } },
    };

    [Theory]
    [InlineData("GET", 503)]
    [InlineData("POST", 200)]
    public async Task Eq_compares_the_value_at_the_path_by_its_wire_name(string method, int expected) =>
        (await StatusFor("""{"path":"requestContext.http.method","op":"eq","value":"GET"}""", Request(method))).ShouldBe(expected);

    [Theory]
    [InlineData("/api/orders", 503)]
    [InlineData("/health", 200)]
    public async Task StartsWith_compares_prefixes(string path, int expected) =>
        (await StatusFor("""{"path":"rawPath","op":"startsWith","value":"/api"}""", Request(path: path))).ShouldBe(expected);

    [Fact]
    public async Task Exists_looks_up_header_keys_in_dictionaries()
    {
        (await StatusFor("""{"path":"headers.x-chaos","op":"exists"}""", Request(headers: new() { ["x-chaos"] = "" }))).ShouldBe(503);
        (await StatusFor("""{"path":"headers.x-chaos","op":"exists"}""", Request())).ShouldBe(200);
    }

    [Theory]
    [InlineData("GET", 503)]
    [InlineData("HEAD", 503)]
    [InlineData("DELETE", 200)]
    public async Task Regex_matches_with_the_time_bounded_engine(string method, int expected) =>
        (await StatusFor("""{"path":"requestContext.http.method","op":"regex","value":"^(GET|HEAD)$"}""", Request(method))).ShouldBe(expected);

    [Fact]
    public async Task A_pathological_pattern_on_a_long_input_finishes_quickly_as_no_match()
    {
        var longPath = "/" + new string('a', 4000) + "!";
        var status = await StatusFor("""{"path":"rawPath","op":"regex","value":"^(a+)+$"}""", Request(path: longPath));

        status.ShouldBe(200);
    }

    [Fact]
    public async Task All_conditions_must_hold()
    {
        const string both = """[{"path":"requestContext.http.method","value":"GET"},{"path":"rawPath","op":"startsWith","value":"/api"}]""";

        (await StatusFor(both, Request("GET", "/api/x"))).ShouldBe(503);
        (await StatusFor(both, Request("GET", "/other"))).ShouldBe(200);
    }

    [Fact]
    public async Task A_path_that_does_not_exist_in_the_event_does_not_match()
    {
        (await StatusFor("""{"path":"requestContext.nothing.here","op":"exists"}""", Request())).ShouldBe(200);
        (await StatusFor("""{"path":"rawPath.deeper","value":"x"}""", Request())).ShouldBe(200);
    }
}
