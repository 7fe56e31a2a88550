using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessChaos.Aws.Tests.Support;

/// <summary>A request the fake server received.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// Kestrel on http://127.0.0.1:0 answering with scripted replies in order (the last one repeats),
/// recording every request. AWS-shaped replies are written by the tests.
/// </summary>
public sealed class FakeAwsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _replies = new();
    private Func<HttpContext, Task>? _last;

    private FakeAwsServer(WebApplication app)
    {
        _app = app;
    }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public Uri Url { get; private set; } = null!;

    public static async Task<FakeAwsServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeAwsServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Url = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Queues replies, answered in order; the last repeats.</summary>
    public FakeAwsServer Reply(params Func<HttpContext, Task>[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

    public static Func<HttpContext, Task> Json(int status, string body, string requestId = "req-1", string contentType = "application/x-amz-json-1.1", params (string Name, string Value)[] headers) =>
        async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            context.Response.Headers["x-amzn-RequestId"] = requestId;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            await context.Response.WriteAsync(body);
        };

    public static Func<HttpContext, Task> Raw(int status, string body, string contentType) =>
        async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(body);
        };

    /// <summary>Announces a Content-Length, sends part of it, then aborts the connection.</summary>
    public static Func<HttpContext, Task> Truncated(string partialBody, int announcedLength) =>
        async context =>
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.ContentLength = announcedLength;
            await context.Response.WriteAsync(partialBody);
            await context.Response.Body.FlushAsync();
            context.Abort();
        };

    /// <summary>Never answers until the client gives up; signals when the request arrived.</summary>
    public static Func<HttpContext, Task> Hang(TaskCompletionSource arrived) =>
        async context =>
        {
            arrived.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
            }
        };

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        Requests.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, buffer.ToArray()));
        if (_replies.TryDequeue(out var reply))
        {
            _last = reply;
        }

        await (_last ?? Json(500, "{\"__type\":\"NoReplyScripted\",\"message\":\"the test scripted no reply\"}"))(context);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
