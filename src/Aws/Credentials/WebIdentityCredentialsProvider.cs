using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Signing;

namespace ServerlessChaos.Aws.Credentials;

/// <summary>
/// Web identity (EKS IRSA and the like): reads the token file and calls STS
/// <c>AssumeRoleWithWebIdentity</c> (unsigned, query protocol, XML reply). Configured by
/// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> + <c>AWS_ROLE_ARN</c> (+ <c>AWS_ROLE_SESSION_NAME</c>), or the
/// profile's <c>web_identity_token_file</c> + <c>role_arn</c>. STS is reached at
/// <c>AWS_ENDPOINT_URL_STS</c>, <c>AWS_ENDPOINT_URL</c>, or <c>https://sts.{region}.amazonaws.com</c>.
/// </summary>
public sealed class WebIdentityCredentialsProvider : IAwsCredentialsProvider
{
    private const string Source = "web identity (STS AssumeRoleWithWebIdentity)";
    private readonly IAwsEnvironment _environment;
    private readonly Lazy<HttpClient> _http;

    private WebIdentityCredentialsProvider(IAwsEnvironment environment, string tokenFile, string roleArn, string sessionName, Uri stsEndpoint, Lazy<HttpClient> http)
    {
        _environment = environment;
        TokenFile = tokenFile;
        RoleArn = roleArn;
        SessionName = sessionName;
        StsEndpoint = stsEndpoint;
        _http = http;
    }

    /// <summary>The file holding the web identity token (read on every fetch: it rotates).</summary>
    public string TokenFile { get; }

    /// <summary>The role to assume.</summary>
    public string RoleArn { get; }

    /// <summary>The role session name.</summary>
    public string SessionName { get; }

    /// <summary>Where STS is called.</summary>
    public Uri StsEndpoint { get; }

    /// <summary>The time the STS call may take. Defaults to 5 seconds.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The provider when web identity is configured, else null.</summary>
    public static WebIdentityCredentialsProvider? TryCreate(IAwsEnvironment environment, string? region, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null) =>
        TryCreate(
            environment,
            SharedConfigFiles.Load(environment),
            SharedConfigFiles.ActiveProfileName(environment),
            region,
            new Lazy<HttpClient>(() => handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false)),
            timeProvider ?? TimeProvider.System);

    internal static WebIdentityCredentialsProvider? TryCreate(IAwsEnvironment environment, SharedConfigFiles files, string profile, string? region, Lazy<HttpClient> http, TimeProvider timeProvider)
    {
        var tokenFile = environment.GetVariable("AWS_WEB_IDENTITY_TOKEN_FILE");
        var roleArn = environment.GetVariable("AWS_ROLE_ARN");
        var sessionName = environment.GetVariable("AWS_ROLE_SESSION_NAME");
        if (tokenFile is null || roleArn is null)
        {
            tokenFile = files.GetProfileSetting(profile, "web_identity_token_file");
            roleArn = files.GetProfileSetting(profile, "role_arn");
            sessionName = files.GetProfileSetting(profile, "role_session_name");
            if (tokenFile is null || roleArn is null)
            {
                return null;
            }
        }

        var endpoint = region is null
            ? EnvironmentOverride(environment) ?? new Uri("https://sts.amazonaws.com/")
            : AwsEndpointResolver.Resolve(AwsServiceDescription.Sts, region, environment);
        sessionName ??= "serverless-chaos-" + timeProvider.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        return new WebIdentityCredentialsProvider(environment, tokenFile, roleArn, sessionName, endpoint, http);
    }

    /// <inheritdoc />
    public async ValueTask<AwsCredentials> GetCredentialsAsync(CancellationToken cancellationToken = default)
    {
        var token = _environment.ReadFileIfExists(TokenFile)?.Trim()
            ?? throw new AwsCredentialsException($"{Source}: the token file does not exist ('{TokenFile}')");
        if (token.Length == 0)
        {
            throw new AwsCredentialsException($"{Source}: the token file is empty ('{TokenFile}')");
        }

        var form = string.Join('&', new[]
        {
            ("Action", "AssumeRoleWithWebIdentity"),
            ("Version", "2011-06-15"),
            ("RoleArn", RoleArn),
            ("RoleSessionName", SessionName),
            ("WebIdentityToken", token),
        }.Select(p => SigV4Signer.UriEncode(p.Item1) + "=" + SigV4Signer.UriEncode(p.Item2)));
        using var request = new HttpRequestMessage(HttpMethod.Post, StsEndpoint)
        {
            Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        var body = await CredentialsHttp.SendAsync(_http.Value, request, Timeout, Source, cancellationToken).ConfigureAwait(false);
        return ParseReply(body);
    }

    internal static AwsCredentials ParseReply(string body)
    {
        try
        {
            var document = XDocument.Parse(body);
            var credentials = document.Descendants().FirstOrDefault(e => e.Name.LocalName == "Credentials")
                ?? throw new AwsCredentialsException($"{Source}: the reply has no Credentials element: {CredentialsHttp.Shorten(body)}");
            string? Field(string name) => credentials.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            var accessKey = Field("AccessKeyId") ?? throw new AwsCredentialsException($"{Source}: the reply has no AccessKeyId");
            var secret = Field("SecretAccessKey") ?? throw new AwsCredentialsException($"{Source}: the reply has no SecretAccessKey");
            return new AwsCredentials(accessKey, secret, Field("SessionToken"), CredentialsHttp.ParseExpiration(Field("Expiration"), Source));
        }
        catch (XmlException ex)
        {
            throw new AwsCredentialsException($"{Source}: the reply is not XML: {CredentialsHttp.Shorten(body)}", ex);
        }
    }

    private static Uri? EnvironmentOverride(IAwsEnvironment environment)
    {
        var value = environment.GetVariable("AWS_ENDPOINT_URL_STS") ?? environment.GetVariable("AWS_ENDPOINT_URL");
        return value is not null && Uri.TryCreate(value, UriKind.Absolute, out var uri) ? uri : null;
    }
}
