namespace ServerlessChaos.Aws.Configuration;

/// <summary>
/// Where a service's requests go: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> (e.g. <c>AWS_ENDPOINT_URL_SSM</c>),
/// then <c>AWS_ENDPOINT_URL</c>, then the regional default <c>https://{prefix}.{region}.amazonaws.com</c>.
/// </summary>
public static class AwsEndpointResolver
{
    /// <summary>Resolves the endpoint of a service.</summary>
    /// <param name="service">The service (its id selects the environment variable).</param>
    /// <param name="region">The region, for the default endpoint.</param>
    /// <param name="environment">Where to read the overrides.</param>
    public static Uri Resolve(AwsServiceDescription service, string region, IAwsEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(environment);
        var variable = "AWS_ENDPOINT_URL_" + service.EndpointId;
        var overridden = environment.GetVariable(variable);
        if (overridden is not null)
        {
            return ParseOverride(variable, overridden);
        }

        overridden = environment.GetVariable("AWS_ENDPOINT_URL");
        return overridden is not null ? ParseOverride("AWS_ENDPOINT_URL", overridden) : DefaultEndpoint(service, region);
    }

    /// <summary>The public regional endpoint of a service.</summary>
    public static Uri DefaultEndpoint(AwsServiceDescription service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }

    private static Uri ParseOverride(string variable, string value)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"{variable} must be an absolute http or https URL (was '{value}')");
        }

        return uri;
    }
}
