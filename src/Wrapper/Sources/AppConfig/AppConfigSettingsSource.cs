using System.Net;

namespace ServerlessChaos.Wrapper.Sources.AppConfig;

/// <summary>
/// Settings from AWS AppConfig through the AppConfig Agent Lambda extension
/// (<c>http://localhost:2772/applications/{app}/environments/{env}/configurations/{profile}</c>), which polls AppConfig
/// itself and answers from memory. A freeform profile holds any settings layout; a feature-flag profile answers
/// <c>{"latency":{"enabled":true,...}}</c>, which is failure-lambda 1.x's layout and is read as such. The halt value
/// comes from <paramref name="readHalt"/> (the SSM halt parameter), when given.
/// </summary>
internal sealed class AppConfigSettingsSource(
    string application, string environment, string profile, Uri endpoint, HttpClient http,
    Func<CancellationToken, Task<string?>>? readHalt = null) : IChaosSettingsSource
{
    /// <summary>The agent's default port (<c>AWS_APPCONFIG_EXTENSION_HTTP_PORT</c> changes it).</summary>
    public const int DefaultPort = 2772;

    private readonly Uri _uri = new(endpoint,
        $"/applications/{Uri.EscapeDataString(application)}/environments/{Uri.EscapeDataString(environment)}/configurations/{Uri.EscapeDataString(profile)}");

    public string Description => $"appconfig:{application}/{environment}/{profile}";

    public async ValueTask<SettingsDocument> FetchAsync(CancellationToken cancellationToken)
    {
        var halt = readHalt is null ? Task.FromResult<string?>(null) : readHalt(cancellationToken);
        using var response = await http.GetAsync(_uri, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? settings;
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // No such profile (or nothing deployed yet): the disarmed baseline, as a missing SSM parameter is.
            settings = null;
        }
        else if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"the AppConfig agent answered {(int)response.StatusCode} for {Description}: {(body.Length > 200 ? body[..200] + "..." : body)}", null, response.StatusCode);
        }
        else
        {
            settings = body;
        }

        // The agent names the deployed version; settings are reported invalid once per version.
        var version = response.Headers.TryGetValues("Configuration-Version", out var values) ? $"{Description}#{values.FirstOrDefault()}" : null;
        return new SettingsDocument(settings, await halt.ConfigureAwait(false), version);
    }
}
