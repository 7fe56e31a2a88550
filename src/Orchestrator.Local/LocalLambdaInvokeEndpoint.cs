using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessChaos.Orchestrator.Steps;

namespace ServerlessChaos.Orchestrator.Local;

/// <summary>A local function: payload JSON in, result JSON out; an exception becomes a Lambda function error.</summary>
/// <param name="payload">The invocation payload.</param>
/// <param name="cancellationToken">Cancelled when the endpoint stops.</param>
public delegate Task<string> LocalFunction(string payload, CancellationToken cancellationToken);

/// <summary>One invocation the endpoint served.</summary>
/// <param name="Function">The function name.</param>
/// <param name="StartedAt">When it started (wall clock).</param>
/// <param name="Duration">How long it took.</param>
/// <param name="ErrorType">The error type when it failed.</param>
public sealed record LocalInvocation(string Function, DateTimeOffset StartedAt, TimeSpan Duration, string? ErrorType);

/// <summary>
/// The Lambda Invoke API (<c>POST /2015-03-31/functions/{name}/invocations</c>) on <c>http://127.0.0.1:0</c>.
/// A function error is answered as Lambda does: status 200, header <c>X-Amz-Function-Error: Unhandled</c>,
/// body <c>{"errorType","errorMessage"}</c>, so Step Functions' Retry and Catch see the error type.
/// </summary>
public sealed class LocalLambdaInvokeEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly IReadOnlyDictionary<string, LocalFunction> functions;
    private readonly ConcurrentQueue<LocalInvocation> invocations = new();

    private LocalLambdaInvokeEndpoint(WebApplication app, IReadOnlyDictionary<string, LocalFunction> functions, Uri url)
    {
        this.app = app;
        this.functions = functions;
        Url = url;
    }

    /// <summary>The endpoint's base URL (use it as <c>AWS_ENDPOINT_URL_LAMBDA</c>).</summary>
    public Uri Url { get; }

    /// <summary>Runs before every invocation with the function name (tests move a fake clock here).</summary>
    public Func<string, Task>? BeforeInvoke { get; set; }

    /// <summary>Every invocation served so far, in order of completion.</summary>
    public IReadOnlyList<LocalInvocation> Invocations => invocations.ToArray();

    /// <summary>Serves every control function by its handler name, plus any extra functions.</summary>
    public static Task<LocalLambdaInvokeEndpoint> StartAsync(ControlFunctions controlFunctions, IReadOnlyDictionary<string, LocalFunction>? extraFunctions = null)
    {
        var all = ControlFunctions.HandlerNames.ToDictionary(
            name => name,
            name => (LocalFunction)((payload, ct) => controlFunctions.InvokeAsync(name, payload, ct)));
        foreach (var (name, function) in extraFunctions ?? new Dictionary<string, LocalFunction>())
        {
            all[name] = function;
        }

        return StartAsync(all);
    }

    /// <summary>Serves the given functions by name.</summary>
    public static async Task<LocalLambdaInvokeEndpoint> StartAsync(IReadOnlyDictionary<string, LocalFunction> functions)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        LocalLambdaInvokeEndpoint? endpoint = null;
        app.MapPost("/2015-03-31/functions/{name}/invocations", (HttpContext http, string name) => endpoint!.InvokeAsync(http, name));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint = new LocalLambdaInvokeEndpoint(app, functions, new Uri(address));
        return endpoint;
    }

    /// <summary>The function name in a name, a partial ARN or a full ARN (a qualifier is ignored).</summary>
    public static string FunctionName(string nameOrArn)
    {
        var decoded = Uri.UnescapeDataString(nameOrArn);
        var marker = decoded.IndexOf("function:", StringComparison.Ordinal);
        var name = marker >= 0 ? decoded[(marker + "function:".Length)..] : decoded;
        var qualifier = name.IndexOf(':', StringComparison.Ordinal);
        return qualifier >= 0 ? name[..qualifier] : name;
    }

    private async Task InvokeAsync(HttpContext http, string nameOrArn)
    {
        var name = FunctionName(nameOrArn);
        if (!functions.TryGetValue(name, out var function))
        {
            http.Response.StatusCode = 404;
            http.Response.Headers["x-amzn-ErrorType"] = "ResourceNotFoundException";
            await http.Response.WriteAsync(new JsonObject { ["Type"] = "User", ["message"] = $"Function not found: {name}" }.ToJsonString()).ConfigureAwait(false);
            return;
        }

        using var reader = new StreamReader(http.Request.Body);
        var payload = await reader.ReadToEndAsync().ConfigureAwait(false);
        if (BeforeInvoke is { } before)
        {
            await before(name).ConfigureAwait(false);
        }

        var started = DateTimeOffset.UtcNow;
        string body;
        string? errorType = null;
        try
        {
            body = await function(payload.Length == 0 ? "null" : payload, http.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            errorType = ErrorTypes.For(e);
            body = new JsonObject { ["errorType"] = errorType, ["errorMessage"] = e.Message, ["trace"] = new JsonArray() }.ToJsonString();
            http.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
        }

        invocations.Enqueue(new LocalInvocation(name, started, DateTimeOffset.UtcNow - started, errorType));
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        http.Response.Headers["X-Amz-Executed-Version"] = "$LATEST";
        await http.Response.WriteAsync(body).ConfigureAwait(false);
    }

    /// <summary>Stops the server.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
