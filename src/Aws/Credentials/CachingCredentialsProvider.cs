namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// Keeps temporary credentials until shortly before they expire, then fetches new ones (one fetch
/// at a time). If a refresh fails while the old credentials have not yet expired, they are used.
/// </summary>
public sealed class CachingCredentialsProvider : IAwsCredentialsProvider
{
    private readonly IAwsCredentialsProvider _inner;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private AwsCredentials? _cached;

    /// <summary>Creates the cache.</summary>
    /// <param name="inner">The provider that fetches credentials.</param>
    /// <param name="timeProvider">The clock. Defaults to <see cref="TimeProvider.System"/>.</param>
    /// <param name="refreshBeforeExpiry">How long before expiry to refresh. Defaults to 5 minutes.</param>
    public CachingCredentialsProvider(IAwsCredentialsProvider inner, TimeProvider? timeProvider = null, TimeSpan? refreshBeforeExpiry = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _timeProvider = timeProvider ?? TimeProvider.System;
        RefreshBeforeExpiry = refreshBeforeExpiry ?? TimeSpan.FromMinutes(5);
    }

    /// <summary>How long before expiry credentials are refreshed. Defaults to 5 minutes.</summary>
    public TimeSpan RefreshBeforeExpiry { get; }

    /// <inheritdoc />
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var cached = _cached;
        if (cached is not null && IsFresh(cached))
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            cached = _cached;
            if (cached is not null && IsFresh(cached))
            {
                return cached;
            }

            try
            {
                var fetched = await _inner.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
                _cached = fetched;
                return fetched;
            }
            catch (Exception) when (cached is not null && cached.Expiration > _timeProvider.GetUtcNow() && !cancellationToken.IsCancellationRequested)
            {
                return cached;
            }
        }
        finally
        {
            _refresh.Release();
        }
    }

    private bool IsFresh(AwsCredentials credentials) =>
        credentials.Expiration is not { } expiration || _timeProvider.GetUtcNow() < expiration - RefreshBeforeExpiry;
}
