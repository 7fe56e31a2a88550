using System.Text.Json;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Aws.Ssm;

/// <summary>AWS Systems Manager Parameter Store (AWS JSON 1.1, <c>X-Amz-Target: AmazonSSM.*</c>).</summary>
public sealed class SsmClient
{
    /// <summary>The error code of a parameter that does not exist.</summary>
    public const string ParameterNotFound = "ParameterNotFound";

    private readonly JsonProtocol _protocol;

    /// <summary>Creates the client.</summary>
    public SsmClient(AwsClientOptions options)
    {
        _protocol = new JsonProtocol(new AwsRequestPipeline(AwsServiceDescription.Ssm, options), "AmazonSSM", "1.1");
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _protocol.Pipeline.Endpoint;

    /// <summary>Reads one parameter.</summary>
    /// <exception cref="AwsServiceException">With <see cref="AwsServiceException.ErrorCode"/> <c>ParameterNotFound</c> when it does not exist.</exception>
    public Task<SsmParameter> GetParameterAsync(string name, bool withDecryption = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _protocol.CallAsync(
            "GetParameter",
            w =>
            {
                w.WriteString("Name", name);
                w.WriteBoolean("WithDecryption", withDecryption);
            },
            root => ReadParameter(Json.RequiredObject(root, "Parameter", ""), "Parameter"),
            cancellationToken);
    }

    /// <summary>Reads one parameter, or returns null when it does not exist.</summary>
    public async Task<SsmParameter?> TryGetParameterAsync(string name, bool withDecryption = false, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GetParameterAsync(name, withDecryption, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (ex.ErrorCode == ParameterNotFound)
        {
            return null;
        }
    }

    /// <summary>Reads several parameters (any number: sent 10 names per call, the service limit).</summary>
    public async Task<SsmGetParametersResult> GetParametersAsync(IReadOnlyList<string> names, bool withDecryption = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        var parameters = new List<SsmParameter>();
        var invalid = new List<string>();
        foreach (var batch in names.Chunk(10))
        {
            var (found, missing) = await _protocol.CallAsync(
                "GetParameters",
                w =>
                {
                    w.WriteStartArray("Names");
                    foreach (var name in batch)
                    {
                        w.WriteStringValue(name);
                    }

                    w.WriteEndArray();
                    w.WriteBoolean("WithDecryption", withDecryption);
                },
                root => (
                    Json.Array(root, "Parameters", "").Select(p => ReadParameter(p.Item, p.Path)).ToList(),
                    Json.Array(root, "InvalidParameters", "").Select(p => Json.ExpectString(p.Item, p.Path)).ToList()),
                cancellationToken).ConfigureAwait(false);
            parameters.AddRange(found);
            invalid.AddRange(missing);
        }

        return new SsmGetParametersResult(parameters, invalid);
    }

    /// <summary>Every parameter under a path, following NextToken page by page as the caller enumerates.</summary>
    /// <param name="path">The path, e.g. <c>/serverless-chaos/functions/</c>.</param>
    /// <param name="recursive">Include parameters in nested paths.</param>
    /// <param name="withDecryption">Decrypt SecureString values.</param>
    /// <param name="pageSize">MaxResults per call (1–10), or null for the service default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<SsmParameter> GetParametersByPathAsync(
        string path,
        bool recursive = false,
        bool withDecryption = false,
        int? pageSize = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (pageSize is < 1 or > 10)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), $"pageSize must be between 1 and 10 (was {pageSize})");
        }

        return _protocol.Pipeline.PaginateAsync(
            "GetParametersByPath",
            (token, ct) => _protocol.CallAsync(
                "GetParametersByPath",
                w =>
                {
                    w.WriteString("Path", path);
                    w.WriteBoolean("Recursive", recursive);
                    w.WriteBoolean("WithDecryption", withDecryption);
                    if (pageSize is not null)
                    {
                        w.WriteNumber("MaxResults", pageSize.Value);
                    }

                    if (token is not null)
                    {
                        w.WriteString("NextToken", token);
                    }
                },
                root => (Json.Array(root, "Parameters", "").Select(p => ReadParameter(p.Item, p.Path)).ToList(), Json.String(root, "NextToken", "")),
                ct),
            cancellationToken);
    }

    /// <summary>Writes a parameter and returns its new version.</summary>
    /// <exception cref="AwsServiceException"><c>ParameterAlreadyExists</c> when it exists and Overwrite is false.</exception>
    public Task<long> PutParameterAsync(SsmPutParameterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Name);
        ArgumentNullException.ThrowIfNull(request.Value);
        return _protocol.CallAsync(
            "PutParameter",
            w =>
            {
                // Member order as the service model lists it, so the bytes match the AWS SDKs'.
                w.WriteString("Name", request.Name);
                w.WriteString("Value", request.Value);
                if (request.Description is not null)
                {
                    w.WriteString("Description", request.Description);
                }

                w.WriteString("Type", request.Type);
                w.WriteBoolean("Overwrite", request.Overwrite);
            },
            root => Json.Long(root, "Version", "") ?? throw new ResponseShapeException("Version is missing from the reply"),
            cancellationToken);
    }

    /// <summary>Deletes a parameter.</summary>
    /// <exception cref="AwsServiceException"><c>ParameterNotFound</c> when it does not exist.</exception>
    public Task DeleteParameterAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return _protocol.CallAsync("DeleteParameter", w => w.WriteString("Name", name), static _ => true, cancellationToken);
    }

    private static SsmParameter ReadParameter(JsonElement element, string path)
    {
        Json.ExpectObject(element, path);
        return new SsmParameter
        {
            Name = Json.RequiredString(element, "Name", path),
            Value = Json.RequiredString(element, "Value", path),
            Type = Json.String(element, "Type", path) ?? "String",
            Version = Json.Long(element, "Version", path) ?? 0,
            LastModifiedDate = Json.Timestamp(element, "LastModifiedDate", path),
            Arn = Json.String(element, "ARN", path),
            DataType = Json.String(element, "DataType", path),
        };
    }
}
