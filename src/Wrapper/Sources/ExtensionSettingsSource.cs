using System.Net;
using System.Text.Json;
using ServerlessChaos.Wrapper.Settings;

namespace ServerlessChaos.Wrapper.Sources;

/// <summary>
/// Settings through the AWS Parameters and Secrets Lambda extension (<c>http://localhost:2773</c>), which caches SSM
/// reads inside the execution environment. Both parameters are requested in parallel; the request carries
/// <c>X-Aws-Parameters-Secrets-Token</c> = <c>AWS_SESSION_TOKEN</c>.
/// </summary>
internal sealed class ExtensionSettingsSource : IChaosSettingsSource
{
    /// <summary>The extension's default address.</summary>
    public static readonly Uri DefaultEndpoint = new("http://localhost:2773");

    private static readonly HttpClient SharedClient = new(new SocketsHttpHandler { UseProxy = false });

    private readonly string _parameterName;
    private readonly string? _haltParameterName;
    private readonly Uri _endpoint;
    private readonly string? _sessionToken;
    private readonly HttpClient _http;

    /// <summary>Creates the source.</summary>
    /// <param name="parameterName">The function's settings parameter.</param>
    /// <param name="haltParameterName">The global halt parameter, or null for none.</param>
    /// <param name="endpoint">The extension's address; defaults to <c>http://localhost:2773</c>.</param>
    /// <param name="sessionToken">The token to send (<c>AWS_SESSION_TOKEN</c>, read by the caller); none when null.</param>
    /// <param name="httpClient">The client to send with; defaults to a shared one.</param>
    public ExtensionSettingsSource(
        string parameterName, string? haltParameterName = HaltValue.DefaultParameterName, Uri? endpoint = null,
        string? sessionToken = null, HttpClient? httpClient = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parameterName);
        _parameterName = parameterName;
        _haltParameterName = string.IsNullOrWhiteSpace(haltParameterName) ? null : haltParameterName;
        // No environment reads here: ChaosWrapper.FromEnvironment passes the port and token from its reader.
        _endpoint = endpoint ?? DefaultEndpoint;
        _sessionToken = sessionToken;
        _http = httpClient ?? SharedClient;
    }

    /// <inheritdoc />
    public string Description => $"extension:{_parameterName}";

    /// <inheritdoc />
    public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var settingsTask = GetAsync(_parameterName, cancellationToken);
        var haltTask = _haltParameterName is null ? Task.FromResult<(string?, string?)>((null, null)) : GetAsync(_haltParameterName, cancellationToken);
        var (settings, version) = await settingsTask.ConfigureAwait(false);
        var (halt, _) = await haltTask.ConfigureAwait(false);
        return new SettingsDocument(settings, halt, version);
    }

    private async Task<(string? Value, string? Version)> GetAsync(string name, CancellationToken cancellationToken)
    {
        var uri = new Uri(_endpoint, $"/systemsmanager/parameters/get?name={Uri.EscapeDataString(name)}&withDecryption=true");
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.TryAddWithoutValidation("X-Aws-Parameters-Secrets-Token", _sessionToken ?? "");
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The extension passes SSM's error through; a missing parameter is "not set", anything else a failure.
            if (response.StatusCode == HttpStatusCode.NotFound || body.Contains("ParameterNotFound", StringComparison.Ordinal))
            {
                return (null, null);
            }

            throw new HttpRequestException($"the Parameters and Secrets extension answered {(int)response.StatusCode} for {name}: {Truncate(body)}", null, response.StatusCode);
        }

        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("Parameter", out var parameter)
            || !parameter.TryGetProperty("Value", out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw new JsonException($"the Parameters and Secrets extension's reply for {name} has no Parameter.Value: {Truncate(body)}");
        }

        var version = parameter.TryGetProperty("Version", out var v) && v.ValueKind == JsonValueKind.Number ? $"{name}#{v.GetRawText()}" : null;
        return (value.GetString(), version);
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "..." : text;
}
