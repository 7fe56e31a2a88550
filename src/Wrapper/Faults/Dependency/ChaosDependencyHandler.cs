using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace ServerlessChaos.Wrapper.Faults;

/// <summary>
/// An <see cref="HttpMessageHandler"/> for outbound calls: inside a decorated invocation with a dependency fault armed,
/// calls to matching hosts are delayed, answered with an AWS-shaped error, or refused. Put it in an HttpClient pipeline,
/// or into the AWS SDK through its <c>HttpClientFactory</c>. Outside an invocation it passes every call through.
/// </summary>
internal sealed class ChaosDependencyHandler : DelegatingHandler
{
    private readonly ChaosWrapper _wrapper;

    /// <summary>Creates the handler in front of <paramref name="innerHandler"/> (a new <see cref="SocketsHttpHandler"/> when null).</summary>
    public ChaosDependencyHandler(ChaosWrapper wrapper, HttpMessageHandler? innerHandler = null)
        : base(innerHandler ?? new SocketsHttpHandler())
    {
        ArgumentNullException.ThrowIfNull(wrapper);
        _wrapper = wrapper;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var scope = InvocationScope.Current;
        var host = request.RequestUri?.IsAbsoluteUri == true ? request.RequestUri.Host : request.Headers.Host;
        if (scope is null || !ReferenceEquals(scope.Wrapper, _wrapper) || host is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        DependencyFaultSettings? fault = null;
        foreach (var candidate in scope.Faults)
        {
            if (candidate.MatchesHost(host) && _wrapper.OptionsInForce.Randomizer() < candidate.Rate)
            {
                fault = candidate;
                break;
            }
        }

        if (fault is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (fault.DryRun)
        {
            _wrapper.Telemetry.FaultInjected(fault.Type, scope.Identity, json =>
            {
                json.WriteString("host", host);
                json.WriteString("kind", fault.Kind.ToString().ToLowerInvariant());
            }, dryRun: true);
            scope.DryRun = true;
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        scope.Injected = true;
        switch (fault.Kind)
        {
            case DependencyFaultKind.Latency:
                var delay = _wrapper.BoundedDelay(fault.MinMs, fault.MaxMs, scope.Deadline, allowPastDeadline: false);
                _wrapper.Telemetry.FaultInjected(fault.Type, scope.Identity, json =>
                {
                    json.WriteString("host", host);
                    json.WriteString("kind", "latency");
                    json.WriteNumber("delayMs", (long)delay.TotalMilliseconds);
                });
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _wrapper.OptionsInForce.TimeProvider, cancellationToken).ConfigureAwait(false);
                }

                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            case DependencyFaultKind.Status:
                _wrapper.Telemetry.FaultInjected(fault.Type, scope.Identity, json =>
                {
                    json.WriteString("host", host);
                    json.WriteString("kind", "status");
                    json.WriteNumber("statusCode", fault.StatusCode);
                    json.WriteString("errorCode", fault.ErrorCode);
                });
                return AwsErrorResponse(request, fault, _wrapper.OptionsInForce.InjectedHeader);
            default:
                _wrapper.Telemetry.FaultInjected(fault.Type, scope.Identity, json =>
                {
                    json.WriteString("host", host);
                    json.WriteString("kind", "connection");
                });
                throw new HttpRequestException(
                    HttpRequestError.ConnectionError, fault.Message,
                    new SocketException((int)SocketError.ConnectionRefused))
                {
                    Data = { [InjectedExceptions.DataKey] = fault.Type },
                };
        }
    }

    /// <summary>
    /// An error the AWS SDKs parse as a service error: JSON protocols get <c>{"__type","message"}</c> with
    /// <c>x-amzn-ErrorType</c>; others (S3, query) get the XML <c>&lt;Error&gt;&lt;Code&gt;</c> body.
    /// </summary>
    internal static HttpResponseMessage AwsErrorResponse(HttpRequestMessage request, DependencyFaultSettings fault, string? injectedHeader)
    {
        var requestId = Guid.NewGuid().ToString();
        var jsonProtocol = request.Headers.Contains("X-Amz-Target")
            || request.Content?.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
        var response = new HttpResponseMessage((HttpStatusCode)fault.StatusCode) { RequestMessage = request };
        if (jsonProtocol)
        {
            var body = $"{{\"__type\":\"{Escape(fault.ErrorCode)}\",\"message\":\"{Escape(fault.Message)}\"}}";
            response.Content = new StringContent(body, Encoding.UTF8);
            response.Content.Headers.ContentType = new MediaTypeHeaderValue(
                request.Content?.Headers.ContentType?.MediaType ?? "application/x-amz-json-1.0");
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", fault.ErrorCode);
        }
        else
        {
            var body = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{Xml(fault.ErrorCode)}</Code><Message>{Xml(fault.Message)}</Message><RequestId>{requestId}</RequestId></Error>";
            response.Content = new StringContent(body, Encoding.UTF8, "application/xml");
        }

        response.Headers.TryAddWithoutValidation("x-amzn-RequestId", requestId);
        if (!string.IsNullOrEmpty(injectedHeader))
        {
            response.Headers.TryAddWithoutValidation(injectedHeader, fault.Type);
        }

        return response;
    }

    private static string Escape(string text) => System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(text);

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text) ?? "";
}
