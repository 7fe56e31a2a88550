using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Credentials;
using ServerlessChaos.Aws.Signing;

namespace ServerlessChaos.Aws.Http;

/// <summary>
/// The one request path every client shares: endpoint, SigV4 signing, per-attempt timeout,
/// retries with exponential backoff and full jitter, and typed errors.
/// </summary>
internal sealed class AwsRequestPipeline
{
    // Shared so every client in a Lambda reuses one connection pool.
    private static readonly Lazy<HttpClient> SharedHttpClient = new(() => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    });

    private readonly HttpClient _http;
    private readonly IAwsCredentialsProvider _credentials;
    private readonly AwsClientOptions _options;

    public AwsRequestPipeline(AwsServiceDescription service, AwsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Region))
        {
            throw new ArgumentException($"AwsClientOptions.Region is required for the {service.Name} client", nameof(options));
        }

        if (options.Timeout <= TimeSpan.Zero && options.Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"AwsClientOptions.Timeout must be positive (was {options.Timeout})", nameof(options));
        }

        if (options.Retry.MaxAttempts < 1)
        {
            throw new ArgumentException($"AwsRetryOptions.MaxAttempts must be at least 1 (was {options.Retry.MaxAttempts})", nameof(options));
        }

        Service = service;
        Region = options.Region;
        _options = options;
        _credentials = options.Credentials ?? throw new ArgumentException($"AwsClientOptions.Credentials is required for the {service.Name} client", nameof(options));
        Endpoint = options.Endpoint ?? AwsEndpointResolver.Resolve(service, options.Region, options.Environment);
        _http = options.HttpClient
            ?? (options.HttpMessageHandler is null ? SharedHttpClient.Value : new HttpClient(options.HttpMessageHandler, disposeHandler: false) { Timeout = System.Threading.Timeout.InfiniteTimeSpan });
    }

    public AwsServiceDescription Service { get; }

    public string Region { get; }

    public Uri Endpoint { get; }

    /// <summary>Sends with retries and returns a 2xx reply, or throws a typed error.</summary>
    public async Task<AwsResponse> SendAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var retry = _options.Retry;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            AwsServiceException failure;
            try
            {
                var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.Error is null)
                {
                    return response.Response!;
                }

                failure = response.Error;
                if (!IsRetryable(failure))
                {
                    throw failure;
                }
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                failure = new AwsTimeoutException(Service.Name, request.Operation, _options.Timeout, attempt, ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                failure = new AwsNetworkException(Service.Name, request.Operation, $"{Describe(ex)} (after {attempt} attempt(s))", ex);
            }

            if (attempt >= retry.MaxAttempts)
            {
                throw failure;
            }

            await DelayAsync(BackoffDelay(attempt, retry), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends, then parses the JSON reply; an unreadable reply is an <see cref="AwsMalformedResponseException"/>.</summary>
    public async Task<T> SendJsonAsync<T>(AwsRequest request, Func<JsonElement, T> parse, CancellationToken cancellationToken)
    {
        var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ParseJson(request.Operation, response, parse);
    }

    /// <summary>Parses a 2xx JSON reply with typed errors for every way it can be wrong.</summary>
    public T ParseJson<T>(string operation, AwsResponse response, Func<JsonElement, T> parse)
    {
        if (response.Body.Length == 0)
        {
            throw Malformed(operation, response, "the reply body is empty (expected a JSON object)", null);
        }

        try
        {
            using var document = JsonDocument.Parse(response.Body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(operation, response, $"the reply is JSON but not an object ({document.RootElement.ValueKind})", null);
            }

            return parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            var kind = response.ContentType?.Contains("html", StringComparison.OrdinalIgnoreCase) == true ? "an HTML page" : "not valid JSON (malformed or truncated)";
            throw Malformed(operation, response, $"the reply is {kind}: {AwsErrorParser.Snippet(response.Body)}", ex);
        }
        catch (ResponseShapeException ex)
        {
            throw Malformed(operation, response, ex.Message, ex);
        }
    }

    /// <summary>
    /// Follows page tokens: fetches a page, yields its items, and asks for the next one while the
    /// service returns a token. A token that comes back twice stops with an error instead of paging forever.
    /// </summary>
    public async IAsyncEnumerable<T> PaginateAsync<T>(
        string operation,
        Func<string?, CancellationToken, Task<(List<T> Items, string? NextToken)>> fetchPage,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? token = null;
        do
        {
            var previous = token;
            var (items, next) = await fetchPage(previous, cancellationToken).ConfigureAwait(false);
            if (next is not null && next == previous)
            {
                throw new AwsMalformedResponseException(Service.Name, operation, "the reply repeated the previous page token; stopping instead of paging forever", null, null);
            }

            foreach (var item in items)
            {
                yield return item;
            }

            token = next;
        }
        while (token is not null);
    }

    private AwsMalformedResponseException Malformed(string operation, AwsResponse response, string message, Exception? inner) =>
        new(Service.Name, operation, message, response.RequestId, response.Status, inner);

    private async Task<(AwsResponse? Response, AwsServiceException? Error)> SendOnceAsync(AwsRequest request, CancellationToken cancellationToken)
    {
        var credentials = await _credentials.GetCredentialsAsync(cancellationToken).ConfigureAwait(false);
        using var message = BuildSignedMessage(request, credentials);

        using var timeout = _options.Timeout == System.Threading.Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(_options.Timeout, _options.TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);

        using var reply = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        var body = await reply.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
        var status = (int)reply.StatusCode;
        var requestId = AwsErrorParser.FirstHeader(reply.Headers, "x-amzn-RequestId") ?? AwsErrorParser.FirstHeader(reply.Headers, "x-amz-request-id");
        var contentType = reply.Content.Headers.ContentType?.MediaType;
        if (status is >= 200 and < 300)
        {
            return (new AwsResponse(status, body, requestId, contentType), null);
        }

        var (code, text) = AwsErrorParser.Parse(status, reply.Headers, contentType, body);
        return (null, new AwsServiceException(Service.Name, request.Operation, code, text, requestId, status));
    }

    /// <summary>The HTTP message with the signed headers, exactly as it goes on the wire.</summary>
    internal HttpRequestMessage BuildSignedMessage(AwsRequest request, AwsCredentials credentials)
    {
        var uri = BuildUri(request);
        var signing = new SigningRequest(request.Method.Method, uri, request.Body);
        if (request.Body is not null)
        {
            signing.SetHeader("content-type", request.ContentType ?? "application/json");
            signing.SetHeader("content-length", request.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var header in request.Headers)
        {
            signing.SetHeader(header.Key, header.Value);
        }

        SigV4Signer.Sign(signing, credentials, Region, Service.SigningName, _options.TimeProvider.GetUtcNow());

        var message = new HttpRequestMessage(request.Method, uri);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
        }

        foreach (var header in signing.Headers)
        {
            switch (header.Key)
            {
                case "host":
                    message.Headers.Host = header.Value;
                    break;
                case "content-type":
                    message.Content!.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value);
                    break;
                case "content-length":
                    message.Content!.Headers.ContentLength = request.Body!.Length;
                    break;
                default:
                    message.Headers.TryAddWithoutValidation(header.Key, header.Value);
                    break;
            }
        }

        return message;
    }

    private Uri BuildUri(AwsRequest request)
    {
        var builder = new StringBuilder();
        builder.Append(Endpoint.GetLeftPart(UriPartial.Authority));
        builder.Append(Endpoint.AbsolutePath.TrimEnd('/'));
        builder.Append(request.Path);
        for (var i = 0; i < request.Query.Count; i++)
        {
            builder.Append(i == 0 ? '?' : '&');
            builder.Append(SigV4Signer.UriEncode(request.Query[i].Key)).Append('=').Append(SigV4Signer.UriEncode(request.Query[i].Value));
        }

        return new Uri(builder.ToString());
    }

    private static bool IsRetryable(AwsServiceException error) =>
        error.HttpStatus is not null && AwsErrorKinds.IsTransient(error.ErrorCode, error.HttpStatus);

    /// <summary>Full jitter: a random share of min(MaxDelay, BaseDelay × 2^(attempt-1)).</summary>
    internal static TimeSpan BackoffDelay(int attempt, AwsRetryOptions retry)
    {
        var cap = Math.Min(retry.MaxDelay.TotalMilliseconds, retry.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var random = Math.Clamp(retry.Random(), 0, 1);
        return TimeSpan.FromMilliseconds(cap * random);
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        _options.Retry.Delay is { } delayFunc
            ? delayFunc(delay, cancellationToken)
            : Task.Delay(delay, _options.TimeProvider, cancellationToken);

    private static string Describe(Exception ex)
    {
        var message = ex.Message;
        var broken = ex is IOException;
        for (var inner = ex.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " → " + inner.Message;
            broken |= inner is IOException;
        }

        return broken ? "the connection broke before the whole reply arrived (truncated reply): " + message : message;
    }
}
