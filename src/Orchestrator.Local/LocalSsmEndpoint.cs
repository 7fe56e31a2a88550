using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessChaos.Orchestrator.Backends;
using ServerlessChaos.Orchestrator.Backends.Local;

namespace ServerlessChaos.Orchestrator.Local;

/// <summary>One request the SSM endpoint answered.</summary>
/// <param name="Operation">The operation (<c>GetParameters</c>, ...), from <c>X-Amz-Target</c>.</param>
/// <param name="Status">The HTTP status of the answer.</param>
/// <param name="ErrorType">The error's <c>__type</c>, when it failed.</param>
public sealed record LocalSsmRequest(string Operation, int Status, string? ErrorType);

/// <summary>
/// A <see cref="LocalParameterStore"/> served over the SSM JSON protocol (AWS JSON 1.1, <c>POST /</c>, <c>X-Amz-Target:
/// AmazonSSM.&lt;Op&gt;</c>) on 127.0.0.1: GetParameter, GetParameters, GetParametersByPath, PutParameter and
/// DeleteParameter, with SSM's error shapes (<c>{"__type":"ParameterNotFound","message":...}</c>). Any SigV4-signed
/// request is accepted (dummy credentials are fine); an unsigned or malformed one is refused as AWS refuses it.
/// So a process given <c>AWS_ENDPOINT_URL_SSM</c> reads the store through its real SSM client.
/// </summary>
public sealed partial class LocalSsmEndpoint : IAsyncDisposable
{
    private const string TargetPrefix = "AmazonSSM.";
    private const string ContentType = "application/x-amz-json-1.1";
    private readonly WebApplication app;
    private readonly LocalParameterStore store;
    private readonly TimeProvider clock;
    private readonly string region;
    private readonly string accountId;
    private readonly ConcurrentDictionary<string, (long Version, DateTimeOffset Modified)> versions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<LocalSsmRequest> requests = new();

    private LocalSsmEndpoint(WebApplication app, LocalParameterStore store, TimeProvider clock, string region, string accountId)
    {
        this.app = app;
        this.store = store;
        this.clock = clock;
        this.region = region;
        this.accountId = accountId;
        store.Changed += OnChanged;
    }

    /// <summary>The endpoint's base URL (give it to a process as <c>AWS_ENDPOINT_URL_SSM</c>).</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>Every request answered so far, oldest first.</summary>
    public IReadOnlyList<LocalSsmRequest> Requests => requests.ToArray();

    /// <summary>
    /// Raised for every parameter a read answers (GetParameter, GetParameters, GetParametersByPath), as it answers: the
    /// parameter's name and the value read, or null when a name read did not exist. A reader's caller learns from it
    /// what the reader has seen, such as whether a service has read the settings written for it.
    /// </summary>
    public event Action<string, string?>? ParameterRead;

    /// <summary>Starts serving <paramref name="store"/> on 127.0.0.1.</summary>
    /// <param name="store">The parameter store.</param>
    /// <param name="port">The port; 0 lets the system choose one.</param>
    /// <param name="clock">The clock (parameters' <c>LastModifiedDate</c>).</param>
    /// <param name="region">The region in parameter ARNs.</param>
    /// <param name="accountId">The account in parameter ARNs.</param>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <exception cref="IOException">The port is taken.</exception>
    public static async Task<LocalSsmEndpoint> StartAsync(LocalParameterStore store, int port = 0, TimeProvider? clock = null, string region = "us-east-1", string accountId = "123456789012", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var endpoint = new LocalSsmEndpoint(app, store, clock ?? TimeProvider.System, region, accountId);
        app.Run(endpoint.ServeAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        endpoint.Url = new Uri(address.TrimEnd('/') + "/");
        return endpoint;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        store.Changed -= OnChanged;
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private void OnChanged(string name, string? value)
    {
        var now = clock.GetUtcNow();
        if (value is null)
        {
            versions.TryRemove(name, out _);
        }
        else
        {
            versions.AddOrUpdate(name, _ => (1, now), (_, v) => (v.Version + 1, now));
        }
    }

    private async Task ServeAsync(HttpContext http)
    {
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        var operation = target.StartsWith(TargetPrefix, StringComparison.Ordinal) ? target[TargetPrefix.Length..] : target;
        int status;
        string? errorType = null;
        JsonObject reply;
        try
        {
            if (!HttpMethods.IsPost(http.Request.Method) || http.Request.Path != "/")
            {
                throw new SsmError(HttpStatusCode.NotFound, "UnknownOperationException", "SSM is served at POST /");
            }

            CheckSignature(http.Request.Headers.Authorization.ToString());
            if (!target.StartsWith(TargetPrefix, StringComparison.Ordinal))
            {
                throw new SsmError(HttpStatusCode.BadRequest, "UnknownOperationException", $"X-Amz-Target must be AmazonSSM.<operation> (was \"{target}\")");
            }

            JsonObject body;
            try
            {
                body = await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false) as JsonObject
                    ?? throw new SsmError(HttpStatusCode.BadRequest, "SerializationException", "the request body must be a JSON object");
            }
            catch (JsonException ex)
            {
                throw new SsmError(HttpStatusCode.BadRequest, "SerializationException", $"the request body is not JSON: {ex.Message}");
            }

            reply = operation switch
            {
                "GetParameter" => GetParameter(body),
                "GetParameters" => GetParameters(body),
                "GetParametersByPath" => await GetParametersByPathAsync(body, http.RequestAborted).ConfigureAwait(false),
                "PutParameter" => PutParameter(body),
                "DeleteParameter" => DeleteParameter(body),
                _ => throw new SsmError(HttpStatusCode.BadRequest, "UnknownOperationException", $"the local SSM endpoint does not serve {operation}"),
            };
            status = 200;
        }
        catch (SsmError e)
        {
            status = (int)e.Status;
            errorType = e.Type;
            reply = new JsonObject { ["__type"] = e.Type, ["message"] = e.Message };
        }
        catch (BackendException e)
        {
            // What AWS itself would refuse (name rules, sizes, tiers): SSM's own error code and message.
            status = 400;
            errorType = e.ErrorCode ?? "ValidationException";
            reply = new JsonObject { ["__type"] = errorType, ["message"] = e.Message };
        }

        requests.Enqueue(new LocalSsmRequest(operation, status, errorType));
        http.Response.StatusCode = status;
        http.Response.ContentType = ContentType;
        http.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        await http.Response.WriteAsync(reply.ToJsonString(), http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Any signature goes (the credentials are dummies), but the header must be a SigV4 one for SSM:
    /// <c>AWS4-HMAC-SHA256 Credential=&lt;key&gt;/&lt;yyyymmdd&gt;/&lt;region&gt;/ssm/aws4_request, SignedHeaders=..., Signature=&lt;hex&gt;</c>.
    /// </summary>
    private static void CheckSignature(string authorization)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            throw new SsmError(HttpStatusCode.BadRequest, "MissingAuthenticationTokenException", "Missing Authentication Token: the request must be signed with SigV4 (any access key works locally)");
        }

        var match = SigV4Header().Match(authorization);
        if (!match.Success)
        {
            throw new SsmError(HttpStatusCode.BadRequest, "IncompleteSignatureException", "Authorization must be AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/ssm/aws4_request, SignedHeaders=<headers>, Signature=<hex>");
        }

        if (match.Groups["service"].Value != "ssm")
        {
            throw new SsmError(HttpStatusCode.BadRequest, "InvalidSignatureException", $"the credential scope names service {match.Groups["service"].Value}; this endpoint is ssm");
        }
    }

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[^/\s,]+)/(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request,\s*SignedHeaders=(?<headers>[a-z0-9;-]+),\s*Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex SigV4Header();

    private JsonObject GetParameter(JsonObject body)
    {
        var name = RequiredName(body, "Name");
        var parameter = store.GetParameter(name);
        ParameterRead?.Invoke(name, parameter?.Value);
        return new JsonObject { ["Parameter"] = Describe(parameter ?? throw NotFound(name)) };
    }

    private JsonObject GetParameters(JsonObject body)
    {
        if (body["Names"] is not JsonArray names || names.Count is < 1 or > 10 || names.Any(n => n is not JsonValue v || v.GetValueKind() != JsonValueKind.String))
        {
            throw new SsmError(HttpStatusCode.BadRequest, "ValidationException", "Names must be an array of 1 to 10 parameter names");
        }

        var found = new JsonArray();
        var invalid = new JsonArray();
        foreach (var name in names.Select(n => NameOf(n!.GetValue<string>())).Distinct(StringComparer.Ordinal))
        {
            var parameter = store.GetParameter(name);
            ParameterRead?.Invoke(name, parameter?.Value);
            if (parameter is not null)
            {
                found.Add(Describe(parameter));
            }
            else
            {
                invalid.Add(name);
            }
        }

        return new JsonObject { ["Parameters"] = found, ["InvalidParameters"] = invalid };
    }

    private async Task<JsonObject> GetParametersByPathAsync(JsonObject body, CancellationToken cancellationToken)
    {
        var path = RequiredName(body, "Path");
        if (!path.StartsWith('/'))
        {
            throw new SsmError(HttpStatusCode.BadRequest, "ValidationException", $"Path must start with / (was \"{path}\")");
        }

        var recursive = body["Recursive"]?.GetValue<bool>() ?? false;
        var max = body["MaxResults"]?.GetValue<int>() ?? 10;
        if (max is < 1 or > 10)
        {
            throw new SsmError(HttpStatusCode.BadRequest, "ValidationException", string.Create(CultureInfo.InvariantCulture, $"MaxResults must be between 1 and 10 (was {max})"));
        }

        var start = 0;
        if (body["NextToken"]?.GetValue<string>() is { } token && (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start < 0))
        {
            throw new SsmError(HttpStatusCode.BadRequest, "InvalidNextToken", "The specified token is not valid");
        }

        var prefix = path.EndsWith('/') ? path : path + "/";
        var all = (await store.ListAsync(path, cancellationToken).ConfigureAwait(false))
            .Where(p => recursive || p.Name.IndexOf('/', prefix.Length) < 0)
            .ToList();
        var served = all.Skip(start).Take(max).ToList();
        foreach (var parameter in served)
        {
            ParameterRead?.Invoke(parameter.Name, parameter.Value);
        }

        var page = new JsonArray([.. served.Select(p => (JsonNode)Describe(p))]);
        var reply = new JsonObject { ["Parameters"] = page };
        if (start + max < all.Count)
        {
            reply["NextToken"] = (start + max).ToString(CultureInfo.InvariantCulture);
        }

        return reply;
    }

    private JsonObject PutParameter(JsonObject body)
    {
        var name = RequiredName(body, "Name");
        var value = body["Value"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new SsmError(HttpStatusCode.BadRequest, "ValidationException", "Value is required (a string)");
        var overwrite = body["Overwrite"]?.GetValue<bool>() ?? false;
        var existing = store.GetParameter(name);
        if (existing is not null && !overwrite)
        {
            throw new SsmError(HttpStatusCode.BadRequest, "ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
        }

        var type = body["Type"]?.GetValue<string>() ?? existing?.Type ?? ParameterTypes.String;
        if (!ParameterTypes.IsKnown(type))
        {
            throw new SsmError(HttpStatusCode.BadRequest, "ValidationException", $"Type must be String, StringList or SecureString (was \"{type}\")");
        }

        store.Put(new StoredParameter(name, value)
        {
            Type = type,
            KeyId = body["KeyId"]?.GetValue<string>() ?? (type == ParameterTypes.SecureString ? existing?.KeyId : null),
            Tier = body["Tier"]?.GetValue<string>() ?? existing?.Tier ?? ParameterTiers.Standard,
        });
        var stored = store.GetParameter(name)!;
        return new JsonObject { ["Version"] = VersionOf(name).Version, ["Tier"] = stored.Tier };
    }

    private JsonObject DeleteParameter(JsonObject body)
    {
        var name = RequiredName(body, "Name");
        if (store.GetParameter(name) is null)
        {
            throw NotFound(name);
        }

        store.Delete(name);
        return [];
    }

    private JsonObject Describe(StoredParameter parameter)
    {
        var (version, modified) = VersionOf(parameter.Name);
        return new JsonObject
        {
            ["Name"] = parameter.Name,
            ["Type"] = parameter.Type,
            ["Value"] = parameter.Value,
            ["Version"] = version,
            ["LastModifiedDate"] = modified.ToUnixTimeMilliseconds() / 1000.0,
            ["ARN"] = $"arn:aws:ssm:{region}:{accountId}:parameter{(parameter.Name.StartsWith('/') ? "" : "/")}{parameter.Name}",
            ["DataType"] = "text",
        };
    }

    // A parameter written before the endpoint started is at version 1, as of now.
    private (long Version, DateTimeOffset Modified) VersionOf(string name) => versions.GetOrAdd(name, _ => (1, clock.GetUtcNow()));

    private static string RequiredName(JsonObject body, string field) =>
        body[field] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is { Length: > 0 } name
            ? NameOf(name)
            : throw new SsmError(HttpStatusCode.BadRequest, "ValidationException", $"{field} is required (a non-empty string)");

    // SSM accepts a parameter's ARN wherever it takes a name.
    private static string NameOf(string nameOrArn)
    {
        var at = nameOrArn.StartsWith("arn:", StringComparison.Ordinal) ? nameOrArn.IndexOf(":parameter", StringComparison.Ordinal) : -1;
        return at < 0 ? nameOrArn : nameOrArn[(at + ":parameter".Length)..];
    }

    private static SsmError NotFound(string name) => new(HttpStatusCode.BadRequest, "ParameterNotFound", $"Parameter {name} not found.");

    /// <summary>An SSM error reply: its HTTP status, <c>__type</c> and message.</summary>
    internal sealed class SsmError(HttpStatusCode status, string type, string message) : Exception(message)
    {
        public HttpStatusCode Status { get; } = status;

        public string Type { get; } = type;
    }
}
