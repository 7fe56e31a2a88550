using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ServerlessChaos.Cli.GameDay.Target;

/// <summary>
/// The simulated downstream dependency of the sample API: <c>GET /inventory/{id}</c> answers an item after a
/// short, fixed think time, like a healthy database-backed service.
/// </summary>
internal sealed class InventorySimulator : IAsyncDisposable
{
    private readonly LocalHttpServer server;
    private int requests;

    private InventorySimulator(LocalHttpServer server) => this.server = server;

    /// <summary>The base address of the inventory service.</summary>
    public Uri Address => server.Address;

    /// <summary>How many requests reached the inventory service.</summary>
    public int Requests => Volatile.Read(ref requests);

    /// <summary>Starts the simulator on 127.0.0.1.</summary>
    /// <param name="thinkTime">How long each answer takes.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <param name="clock">The clock the answers' <c>asOf</c> comes from (the inventory's own, never skewed). Defaults to the system clock.</param>
    public static async Task<InventorySimulator> StartAsync(TimeSpan thinkTime, CancellationToken cancellationToken, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        InventorySimulator? self = null;
        var server = await LocalHttpServer.StartAsync(
            async context =>
            {
                Interlocked.Increment(ref self!.requests);
                var path = context.Request.Path.Value ?? "/";
                const string prefix = "/inventory/";
                if (!path.StartsWith(prefix, StringComparison.Ordinal))
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                if (thinkTime > TimeSpan.Zero)
                {
                    await Task.Delay(thinkTime, context.RequestAborted).ConfigureAwait(false);
                }

                var id = path[prefix.Length..];
                var available = Math.Abs(StringComparer.Ordinal.GetHashCode(id) % 50);
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(
                    $$"""{"sku":"SKU-{{id}}","available":{{available.ToString(CultureInfo.InvariantCulture)}},"asOf":"{{clock.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}}"}""",
                    context.RequestAborted).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        self = new InventorySimulator(server);
        return self;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => server.DisposeAsync();
}
