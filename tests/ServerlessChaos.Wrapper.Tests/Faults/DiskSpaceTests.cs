using Amazon.Lambda.APIGatewayEvents;
using ServerlessChaos.Wrapper.Tests.Support;

namespace ServerlessChaos.Wrapper.Tests.Faults;

public sealed class DiskSpaceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chaos-disk-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_file_fills_the_folder_while_the_handler_runs_and_is_removed_afterwards()
    {
        var harness = new Harness(Documents.Armed("""{"type":"diskSpace","rate":1,"megabytes":2}"""), configure: o => o.TempDirectory = _folder);
        long bytesDuringHandler = 0;

        var response = await harness.Wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), harness.Context(), (_, _) =>
        {
            bytesDuringHandler = Directory.GetFiles(_folder).Sum(f => new FileInfo(f).Length);
            return Task.FromResult(new APIGatewayHttpApiV2ProxyResponse { StatusCode = 200 });
        });

        bytesDuringHandler.ShouldBe(2 * 1024 * 1024);
        Directory.GetFiles(_folder).ShouldBeEmpty();
        response.Headers["X-Chaos-Injected"].ShouldBe("diskSpace");
        harness.FaultLines.Single().GetProperty("details").GetProperty("bytesWritten").GetInt64().ShouldBe(2 * 1024 * 1024);
    }

    [Fact]
    public async Task The_file_is_removed_even_when_the_handler_throws()
    {
        var harness = new Harness(Documents.Armed("""{"type":"diskSpace","rate":1,"megabytes":1}"""), configure: o => o.TempDirectory = _folder);

        await Should.ThrowAsync<InvalidOperationException>(() => harness.Wrapper.InvokeAsync<APIGatewayHttpApiV2ProxyRequest, TestLambdaContext, int>(
            new APIGatewayHttpApiV2ProxyRequest(), harness.Context(), (_, _) => throw new InvalidOperationException("handler failed")));

        Directory.GetFiles(_folder).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unwritable_folder_leaves_the_handler_answering()
    {
        var harness = new Harness(Documents.Armed("""{"type":"diskSpace","rate":1,"megabytes":1}"""), configure: o => o.TempDirectory = Path.Combine(_folder, "missing", "deeper"));

        var result = await harness.Wrapper.InvokeAsync(new APIGatewayHttpApiV2ProxyRequest(), harness.Context(), (_, _) => Task.FromResult("own"));

        result.ShouldBe("own");
    }
}
