using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ServerlessChaos.Cli.Tests.Support;

/// <summary>
/// SSM (JSON 1.1), Step Functions (JSON 1.0) and FIS (REST-JSON) on one Kestrel endpoint on 127.0.0.1,
/// holding their state in memory, so the operator commands run against the real wire protocols.
/// </summary>
internal sealed class FakeAws : IAsyncDisposable
{
    private readonly LoopbackServer server;

    private FakeAws(LoopbackServer server)
    {
        this.server = server;
        server.Handler = HandleAsync;
    }

    public Uri Endpoint => server.Url;

    /// <summary>SSM parameters by name.</summary>
    public ConcurrentDictionary<string, FakeParameter> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Runs before every request with the operation (X-Amz-Target, or "METHOD /path" for FIS) and the body; returning true means it
    /// answered (an error, a throttle, a dropped connection) and the fake does nothing more.
    /// </summary>
    public Func<HttpContext, string, string, Task<bool>>? Interfere { get; set; }

    /// <summary>Every X-Amz-Target or REST call received, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    /// <summary>Step Functions state machines: ARN → name.</summary>
    public ConcurrentDictionary<string, string> StateMachines { get; } = new(StringComparer.Ordinal);

    /// <summary>Step Functions executions by ARN.</summary>
    public ConcurrentDictionary<string, FakeExecution> Executions { get; } = new(StringComparer.Ordinal);

    /// <summary>FIS experiments by id.</summary>
    public ConcurrentDictionary<string, FakeFisExperiment> FisExperiments { get; } = new(StringComparer.Ordinal);

    /// <summary>Called for every DescribeExecution, to move an execution along.</summary>
    public Action<FakeExecution>? OnDescribeExecution { get; set; }

    public static async Task<FakeAws> StartAsync() => new(await LoopbackServer.StartAsync());

    public void Put(string name, string value, string type = "String", string? keyId = null, string tier = "Standard") =>
        Parameters.AddOrUpdate(
            name,
            _ => new FakeParameter(value, 1, type, type == "SecureString" ? keyId ?? "alias/aws/ssm" : null, tier),
            (_, old) => new FakeParameter(value, old.Version + 1, type, type == "SecureString" ? keyId ?? "alias/aws/ssm" : null, tier));

    public string? Value(string name) => Parameters.TryGetValue(name, out var p) ? p.Value : null;

    /// <summary>Answers a request with an AWS-style JSON error.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        Reply(context, status, new JsonObject { ["__type"] = code, ["message"] = message }, "application/x-amz-json-1.1", code);

    private async Task HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        if (!context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/", StringComparison.Ordinal))
        {
            await Reply(context, 403, new JsonObject { ["__type"] = "UnrecognizedClientException", ["message"] = "unsigned request" }, "application/x-amz-json-1.1");
            return;
        }

        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync();
        var operation = target.Length > 0 ? target : $"{context.Request.Method} {context.Request.Path}";
        if (Interfere is { } interfere && await interfere(context, operation, text))
        {
            Calls.Enqueue(operation + " (interfered)");
            return;
        }

        var body = text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!.AsObject();
        if (target.StartsWith("AmazonSSM.", StringComparison.Ordinal))
        {
            Calls.Enqueue(target);
            await Ssm(context, target["AmazonSSM.".Length..], body);
        }
        else if (target.StartsWith("AWSStepFunctions.", StringComparison.Ordinal))
        {
            Calls.Enqueue(target);
            await StepFunctions(context, target["AWSStepFunctions.".Length..], body);
        }
        else
        {
            Calls.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            await Fis(context, body);
        }
    }

    private async Task Ssm(HttpContext context, string operation, JsonObject body)
    {
        const string type = "application/x-amz-json-1.1";
        var decrypt = body["WithDecryption"]?.GetValue<bool>() == true;
        JsonObject Parameter(string name, FakeParameter p) => new()
        {
            ["Name"] = name,
            ["Type"] = p.Type,
            ["Value"] = p.Type == "SecureString" && !decrypt ? $"kms:{p.KeyId}:{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(p.Value))}" : p.Value,
            ["Version"] = p.Version,
            ["LastModifiedDate"] = 1763770000.5,
            ["ARN"] = $"arn:aws:ssm:us-east-1:123456789012:parameter{name}",
            ["DataType"] = "text",
        };
        switch (operation)
        {
            case "GetParameter":
            {
                var name = body["Name"]!.GetValue<string>();
                if (Parameters.TryGetValue(name, out var p))
                {
                    await Reply(context, 200, new JsonObject { ["Parameter"] = Parameter(name, p) }, type);
                }
                else
                {
                    await Reply(context, 400, new JsonObject { ["__type"] = "ParameterNotFound", ["message"] = $"Parameter {name} not found." }, type);
                }

                return;
            }

            case "GetParametersByPath":
            {
                var path = body["Path"]!.GetValue<string>().TrimEnd('/') + "/";
                var recursive = body["Recursive"]?.GetValue<bool>() == true;
                var all = Parameters.Where(p => p.Key.StartsWith(path, StringComparison.Ordinal) && (recursive || !p.Key[path.Length..].Contains('/')))
                    .OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
                var start = body["NextToken"] is { } token ? int.Parse(token.GetValue<string>(), CultureInfo.InvariantCulture) : 0;
                var page = all.Skip(start).Take(2).ToList(); // small pages so paging is exercised
                var reply = new JsonObject { ["Parameters"] = new JsonArray([.. page.Select(p => (JsonNode)Parameter(p.Key, p.Value))]) };
                if (start + page.Count < all.Count)
                {
                    reply["NextToken"] = (start + page.Count).ToString(CultureInfo.InvariantCulture);
                }

                await Reply(context, 200, reply, type);
                return;
            }

            case "PutParameter":
            {
                var name = body["Name"]!.GetValue<string>();
                var overwrite = body["Overwrite"]?.GetValue<bool>() == true;
                if (!overwrite && Parameters.ContainsKey(name))
                {
                    await Reply(context, 400, new JsonObject { ["__type"] = "ParameterAlreadyExists", ["message"] = "exists" }, type);
                    return;
                }

                var tier = body["Tier"]?.GetValue<string>() ?? "Standard";
                if (tier == "Standard" && Parameters.TryGetValue(name, out var existing) && existing.Tier == "Advanced")
                {
                    await Reply(context, 400, new JsonObject { ["__type"] = "ValidationException", ["message"] = "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier." }, type);
                    return;
                }

                Put(name, body["Value"]!.GetValue<string>(), body["Type"]?.GetValue<string>() ?? "String", body["KeyId"]?.GetValue<string>(), tier);
                await Reply(context, 200, new JsonObject { ["Version"] = Parameters[name].Version, ["Tier"] = tier }, type);
                return;
            }

            case "DescribeParameters":
            {
                var filter = body["ParameterFilters"]![0]!;
                var key = filter["Key"]!.GetValue<string>();
                var value = filter["Values"]![0]!.GetValue<string>();
                var matching = Parameters.Where(p => key == "Name" ? p.Key == value : p.Key.StartsWith(value.TrimEnd('/') + "/", StringComparison.Ordinal))
                    .OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => (JsonNode)new JsonObject
                    {
                        ["Name"] = p.Key,
                        ["Type"] = p.Value.Type,
                        ["KeyId"] = p.Value.KeyId,
                        ["Tier"] = p.Value.Tier,
                        ["Version"] = p.Value.Version,
                        ["LastModifiedDate"] = 1763770000.5,
                    });
                await Reply(context, 200, new JsonObject { ["Parameters"] = new JsonArray([.. matching]) }, type);
                return;
            }

            case "DeleteParameter":
            {
                var name = body["Name"]!.GetValue<string>();
                if (!Parameters.TryRemove(name, out _))
                {
                    await Reply(context, 400, new JsonObject { ["__type"] = "ParameterNotFound", ["message"] = "not found" }, type);
                    return;
                }

                await Reply(context, 200, new JsonObject(), type);
                return;
            }

            default:
                await Reply(context, 400, new JsonObject { ["__type"] = "InvalidAction", ["message"] = operation }, type);
                return;
        }
    }

    private async Task StepFunctions(HttpContext context, string operation, JsonObject body)
    {
        const string type = "application/x-amz-json-1.0";
        switch (operation)
        {
            case "ListStateMachines":
                await Reply(context, 200, new JsonObject
                {
                    ["stateMachines"] = new JsonArray([.. StateMachines.Select(m => (JsonNode)new JsonObject
                    {
                        ["stateMachineArn"] = m.Key,
                        ["name"] = m.Value,
                        ["type"] = "STANDARD",
                        ["creationDate"] = 1763770000.0,
                    })]),
                }, type);
                return;
            case "ListExecutions":
            {
                var arn = body["stateMachineArn"]!.GetValue<string>();
                var filter = body["statusFilter"]?.GetValue<string>();
                var list = Executions.Values.Where(e => e.StateMachineArn == arn && (filter is null || e.Status == filter)).ToList();
                await Reply(context, 200, new JsonObject
                {
                    ["executions"] = new JsonArray([.. list.Select(e => (JsonNode)new JsonObject
                    {
                        ["executionArn"] = e.Arn,
                        ["stateMachineArn"] = e.StateMachineArn,
                        ["name"] = e.Name,
                        ["status"] = e.Status,
                        ["startDate"] = 1763770000.0,
                    })]),
                }, type);
                return;
            }

            case "StartExecution":
            {
                var arn = body["stateMachineArn"]!.GetValue<string>();
                if (!StateMachines.ContainsKey(arn))
                {
                    await Reply(context, 400, new JsonObject { ["__type"] = "com.amazonaws.swf.service.v2.model#StateMachineDoesNotExist", ["message"] = $"State Machine Does Not Exist: '{arn}'" }, type);
                    return;
                }

                var name = body["name"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
                var execution = new FakeExecution
                {
                    Arn = arn.Replace(":stateMachine:", ":execution:", StringComparison.Ordinal) + ":" + name,
                    StateMachineArn = arn,
                    Name = name,
                    Input = body["input"]?.GetValue<string>(),
                };
                Executions[execution.Arn] = execution;
                await Reply(context, 200, new JsonObject { ["executionArn"] = execution.Arn, ["startDate"] = 1763770000.0 }, type);
                return;
            }

            case "DescribeExecution":
            {
                var arn = body["executionArn"]!.GetValue<string>();
                if (!Executions.TryGetValue(arn, out var e))
                {
                    await Reply(context, 400, new JsonObject { ["__type"] = "ExecutionDoesNotExist", ["message"] = "no such execution" }, type);
                    return;
                }

                OnDescribeExecution?.Invoke(e);
                var reply = new JsonObject
                {
                    ["executionArn"] = e.Arn,
                    ["stateMachineArn"] = e.StateMachineArn,
                    ["name"] = e.Name,
                    ["status"] = e.Status,
                    ["startDate"] = 1763770000.0,
                    ["input"] = e.Input,
                };
                if (e.Output is not null)
                {
                    reply["output"] = e.Output;
                    reply["stopDate"] = 1763770060.0;
                }

                if (e.Error is not null)
                {
                    reply["error"] = e.Error;
                    reply["cause"] = e.Cause;
                }

                await Reply(context, 200, reply, type);
                return;
            }

            case "StopExecution":
            {
                var arn = body["executionArn"]!.GetValue<string>();
                if (Executions.TryGetValue(arn, out var e) && e.Status == "RUNNING")
                {
                    e.Status = "ABORTED";
                    e.Error = body["error"]?.GetValue<string>();
                    e.Cause = body["cause"]?.GetValue<string>();
                }

                await Reply(context, 200, new JsonObject { ["stopDate"] = 1763770060.0 }, type);
                return;
            }

            default:
                await Reply(context, 400, new JsonObject { ["__type"] = "UnknownOperationException", ["message"] = operation }, type);
                return;
        }
    }

    private async Task Fis(HttpContext context, JsonObject body)
    {
        const string type = "application/json";
        var path = context.Request.Path.Value ?? "/";
        JsonObject Experiment(FakeFisExperiment x) => new()
        {
            ["id"] = x.Id,
            ["experimentTemplateId"] = x.TemplateId,
            ["state"] = new JsonObject { ["status"] = x.Status, ["reason"] = x.Reason },
            ["tags"] = new JsonObject([.. x.Tags.Select(t => new KeyValuePair<string, JsonNode?>(t.Key, t.Value))]),
            ["creationTime"] = 1763770000.0,
        };
        if (context.Request.Method == "GET" && path == "/experiments")
        {
            await Reply(context, 200, new JsonObject { ["experiments"] = new JsonArray([.. FisExperiments.Values.OrderBy(x => x.Id, StringComparer.Ordinal).Select(x => (JsonNode)Experiment(x))]) }, type);
            return;
        }

        if (path.StartsWith("/experiments/", StringComparison.Ordinal))
        {
            var id = path["/experiments/".Length..];
            if (!FisExperiments.TryGetValue(id, out var x))
            {
                await Reply(context, 404, new JsonObject { ["message"] = $"Experiment {id} not found" }, type, "ResourceNotFoundException");
                return;
            }

            if (context.Request.Method == "DELETE" && x.Status is "pending" or "initiating" or "running")
            {
                x.Status = "stopping";
                x.Reason = "Experiment stopped by user";
            }

            await Reply(context, 200, new JsonObject { ["experiment"] = Experiment(x) }, type);
            return;
        }

        await Reply(context, 404, new JsonObject { ["message"] = "unknown route" }, type, "ResourceNotFoundException");
    }

    private static async Task Reply(HttpContext context, int status, JsonObject body, string contentType, string? errorType = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (errorType is not null)
        {
            context.Response.Headers["x-amzn-ErrorType"] = errorType;
        }

        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions()));
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}

internal sealed record FakeParameter(string Value, long Version, string Type, string? KeyId, string Tier);

internal sealed class FakeExecution
{
    public required string Arn { get; init; }

    public required string StateMachineArn { get; init; }

    public required string Name { get; init; }

    public string? Input { get; init; }

    public string Status { get; set; } = "RUNNING";

    public string? Output { get; set; }

    public string? Error { get; set; }

    public string? Cause { get; set; }
}

internal sealed class FakeFisExperiment
{
    public required string Id { get; init; }

    public string TemplateId { get; init; } = "EXT1a2b3c";

    public string Status { get; set; } = "running";

    public string? Reason { get; set; }

    public Dictionary<string, string> Tags { get; init; } = [];
}
