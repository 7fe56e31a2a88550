using System.Globalization;
using System.Text.Json;
using ServerlessChaos.Aws.Configuration;
using ServerlessChaos.Aws.Http;

namespace ServerlessChaos.Aws.Fis;

/// <summary>AWS Fault Injection Service (REST-JSON, signing name <c>fis</c>).</summary>
public sealed class FisClient
{
    private readonly RestJsonProtocol _protocol;

    /// <summary>Creates the client.</summary>
    public FisClient(AwsClientOptions options)
    {
        _protocol = new RestJsonProtocol(new AwsRequestPipeline(AwsServiceDescription.Fis, options));
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _protocol.Pipeline.Endpoint;

    /// <summary>Starts an experiment from a template (<c>POST /experiments</c>).</summary>
    public Task<FisExperiment> StartExperimentAsync(FisStartExperimentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ExperimentTemplateId);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ClientToken);
        if (request.ActionsMode is not (null or "skip-all" or "run-all"))
        {
            throw new ArgumentException($"ActionsMode must be skip-all or run-all (was '{request.ActionsMode}')", nameof(request));
        }

        var http = _protocol.CreateRequest("StartExperiment", HttpMethod.Post, "/experiments", writeBody: w =>
        {
            // Members in name order, as the AWS SDKs write them.
            w.WriteString("clientToken", request.ClientToken);
            if (request.ActionsMode is not null)
            {
                w.WriteStartObject("experimentOptions");
                w.WriteString("actionsMode", request.ActionsMode);
                w.WriteEndObject();
            }

            w.WriteString("experimentTemplateId", request.ExperimentTemplateId);
            if (request.Tags.Count > 0)
            {
                w.WriteStartObject("tags");
                foreach (var (key, value) in request.Tags)
                {
                    w.WriteString(key, value);
                }

                w.WriteEndObject();
            }
        });
        return _protocol.CallAsync(http, root => ReadExperiment(Json.RequiredObject(root, "experiment", ""), "experiment"), cancellationToken);
    }

    /// <summary>Reads an experiment (<c>GET /experiments/{id}</c>).</summary>
    public Task<FisExperiment> GetExperimentAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var http = _protocol.CreateRequest("GetExperiment", HttpMethod.Get, "/experiments/" + RestJsonProtocol.Segment(id));
        return _protocol.CallAsync(http, root => ReadExperiment(Json.RequiredObject(root, "experiment", ""), "experiment"), cancellationToken);
    }

    /// <summary>Stops an experiment (<c>DELETE /experiments/{id}</c>); returns it, usually in state <c>stopping</c>.</summary>
    public Task<FisExperiment> StopExperimentAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var http = _protocol.CreateRequest("StopExperiment", HttpMethod.Delete, "/experiments/" + RestJsonProtocol.Segment(id));
        return _protocol.CallAsync(http, root => ReadExperiment(Json.RequiredObject(root, "experiment", ""), "experiment"), cancellationToken);
    }

    /// <summary>Every experiment, newest pages first as FIS returns them, following nextToken as the caller enumerates.</summary>
    /// <param name="experimentTemplateId">Only experiments of this template, or null for all.</param>
    /// <param name="pageSize">maxResults per call (1–100), or null for the service default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<FisExperiment> ListExperimentsAsync(string? experimentTemplateId = null, int? pageSize = null, CancellationToken cancellationToken = default) =>
        PageAsync("ListExperiments", "/experiments", "experiments", pageSize, 100, [new("experimentTemplateId", experimentTemplateId)], ReadExperiment, cancellationToken);

    /// <summary>Reads a template (<c>GET /experimentTemplates/{id}</c>).</summary>
    public Task<FisExperimentTemplate> GetExperimentTemplateAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var http = _protocol.CreateRequest("GetExperimentTemplate", HttpMethod.Get, "/experimentTemplates/" + RestJsonProtocol.Segment(id));
        return _protocol.CallAsync(http, root => ReadTemplate(Json.RequiredObject(root, "experimentTemplate", ""), "experimentTemplate"), cancellationToken);
    }

    /// <summary>Every experiment template, following nextToken as the caller enumerates.</summary>
    /// <param name="pageSize">maxResults per call (1–100), or null for the service default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public IAsyncEnumerable<FisExperimentTemplateSummary> ListExperimentTemplatesAsync(int? pageSize = null, CancellationToken cancellationToken = default) =>
        PageAsync("ListExperimentTemplates", "/experimentTemplates", "experimentTemplates", pageSize, 100, [], ReadTemplateSummary, cancellationToken);

    private IAsyncEnumerable<T> PageAsync<T>(
        string operation,
        string path,
        string itemsName,
        int? pageSize,
        int maxPageSize,
        KeyValuePair<string, string?>[] filters,
        Func<JsonElement, string, T> read,
        CancellationToken cancellationToken)
    {
        if (pageSize is not null && (pageSize < 1 || pageSize > maxPageSize))
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), $"pageSize must be between 1 and {maxPageSize} (was {pageSize})");
        }

        return _protocol.Pipeline.PaginateAsync(
            operation,
            (token, ct) =>
            {
                var query = new List<KeyValuePair<string, string?>>(filters)
                {
                    new("maxResults", pageSize?.ToString(CultureInfo.InvariantCulture)),
                    new("nextToken", token),
                };
                var http = _protocol.CreateRequest(operation, HttpMethod.Get, path, query);
                return _protocol.CallAsync(
                    http,
                    root => (Json.Array(root, itemsName, "").Select(i => read(Json.ExpectObject(i.Item, i.Path), i.Path)).ToList(), Json.String(root, "nextToken", "")),
                    ct);
            },
            cancellationToken);
    }

    private static FisExperiment ReadExperiment(JsonElement e, string path)
    {
        var actions = new Dictionary<string, FisExperimentAction>(StringComparer.Ordinal);
        if (Json.Object(e, "actions", path) is { } actionMap)
        {
            foreach (var action in actionMap.EnumerateObject())
            {
                var actionPath = $"{path}.actions.{action.Name}";
                var value = Json.ExpectObject(action.Value, actionPath);
                actions[action.Name] = new FisExperimentAction(
                    Json.String(value, "actionId", actionPath) ?? "",
                    Json.Object(value, "state", actionPath) is { } s ? ReadState(s, actionPath + ".state") : null);
            }
        }

        return new FisExperiment
        {
            Id = Json.RequiredString(e, "id", path),
            Arn = Json.String(e, "arn", path),
            ExperimentTemplateId = Json.String(e, "experimentTemplateId", path),
            State = ReadState(Json.RequiredObject(e, "state", path), path + ".state"),
            CreationTime = Json.Timestamp(e, "creationTime", path),
            StartTime = Json.Timestamp(e, "startTime", path),
            EndTime = Json.Timestamp(e, "endTime", path),
            Tags = Json.StringMap(e, "tags", path),
            ActionsMode = Json.Object(e, "experimentOptions", path) is { } options ? Json.String(options, "actionsMode", path + ".experimentOptions") : null,
            Actions = actions,
        };
    }

    private static FisState ReadState(JsonElement e, string path) => new(
        Json.RequiredString(e, "status", path),
        Json.String(e, "reason", path),
        Json.Object(e, "error", path) is { } error ? Json.String(error, "code", path + ".error") : null);

    private static FisExperimentTemplateSummary ReadTemplateSummary(JsonElement e, string path) => new()
    {
        Id = Json.RequiredString(e, "id", path),
        Arn = Json.String(e, "arn", path),
        Description = Json.String(e, "description", path),
        CreationTime = Json.Timestamp(e, "creationTime", path),
        LastUpdateTime = Json.Timestamp(e, "lastUpdateTime", path),
        Tags = Json.StringMap(e, "tags", path),
    };

    private static FisExperimentTemplate ReadTemplate(JsonElement e, string path)
    {
        var actions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Json.Object(e, "actions", path) is { } actionMap)
        {
            foreach (var action in actionMap.EnumerateObject())
            {
                var actionPath = $"{path}.actions.{action.Name}";
                actions[action.Name] = Json.RequiredString(Json.ExpectObject(action.Value, actionPath), "actionId", actionPath);
            }
        }

        return new FisExperimentTemplate
        {
            Id = Json.RequiredString(e, "id", path),
            Arn = Json.String(e, "arn", path),
            Description = Json.String(e, "description", path),
            RoleArn = Json.String(e, "roleArn", path),
            Tags = Json.StringMap(e, "tags", path),
            Actions = actions,
            StopConditions = Json.Array(e, "stopConditions", path)
                .Select(c => new FisStopCondition(Json.RequiredString(Json.ExpectObject(c.Item, c.Path), "source", c.Path), Json.String(c.Item, "value", c.Path)))
                .ToList(),
            CreationTime = Json.Timestamp(e, "creationTime", path),
            LastUpdateTime = Json.Timestamp(e, "lastUpdateTime", path),
        };
    }
}
