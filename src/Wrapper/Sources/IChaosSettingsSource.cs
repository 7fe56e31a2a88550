namespace ServerlessChaos.Wrapper.Sources;

/// <summary>
/// Where the wrapper reads its settings from. Implement it to serve settings from your own store (a local game day
/// serves them from an in-process parameter store); the wrapper caches, bounds and retries every call to it.
/// </summary>
public interface IChaosSettingsSource
{
    /// <summary>A short description for log lines, e.g. <c>ssm:/serverless-chaos/functions/checkout</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Reads the function's settings document and the global halt value together (one round trip where the store allows).
    /// Throw on any failure (throttling, network, bad reply): the wrapper then keeps its last good settings and backs off.
    /// </summary>
    /// <param name="cancellationToken">Cancelled when the wrapper gives up on this read.</param>
    ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken);
}

/// <summary>What a settings source read.</summary>
/// <param name="Settings">The settings document text, or <see langword="null"/> when the parameter does not exist (disarmed).</param>
/// <param name="Halt">The halt parameter's value, or <see langword="null"/> when it does not exist (not halted).</param>
/// <param name="Version">An identity of this settings value (e.g. the SSM parameter version); the text itself when absent.</param>
public sealed record SettingsDocument(string? Settings, string? Halt, string? Version = null);
