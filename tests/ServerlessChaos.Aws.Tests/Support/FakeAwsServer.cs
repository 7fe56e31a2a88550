using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace ServerlessChaos.Aws.Tests.Support;

/// <summary>
/// A loopback server answering with scripted replies in order (the last one repeats), recording every
/// request. AWS-shaped replies are written by the tests.
/// </summary>
public sealed class FakeAwsServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _replies = new();
    private Func<HttpContext, Task>? _last;

    private FakeAwsServer(LoopbackServer server)
    {
        _server = server;
        server.Handler = HandleAsync;
    }

    public ConcurrentQueue<ReceivedRequest> Requests => _server.Requests;

    public Uri Url => _server.Url;

    public static async Task<FakeAwsServer> StartAsync() => new(await LoopbackServer.StartAsync());

    /// <summary>Queues replies, answered in order; the last repeats.</summary>
    public FakeAwsServer Reply(params Func<HttpContext, Task>[] replies)
    {
        foreach (var reply in replies)
        {
            _replies.Enqueue(reply);
        }

        return this;
    }

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
        if (_replies.TryDequeue(out var reply))
        {
            _last = reply;
        }

        await (_last ?? LoopbackServer.Json(500, "{\"__type\":\"NoReplyScripted\",\"message\":\"the test scripted no reply\"}"))(context);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
