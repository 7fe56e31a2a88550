using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra.Tests.Support;

/// <summary>A synthesized template as JSON, with helpers to read resources and IAM statements.</summary>
public sealed class TemplateJson
{
    private readonly Template? template;

    public TemplateJson(Template template)
        : this((JsonObject)ContextJson.ToJsonNode(template.ToJSON())!) => this.template = template;

    /// <summary>A template file as the CDK CLI wrote it (no assertions API).</summary>
    public TemplateJson(JsonObject root, string? name = null)
    {
        Root = root;
        Name = name ?? "";
    }

    public Template Template => template ?? throw new InvalidOperationException($"{Name} was read from a file: use Root");

    public JsonObject Root { get; }

    /// <summary>The file name of a template the CLI wrote, or empty.</summary>
    public string Name { get; }

    public JsonObject Resources => (JsonObject)Root["Resources"]!;

    public IEnumerable<(string LogicalId, JsonObject Properties)> OfType(string type) =>
        Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == type)
            .Select(r => (r.Key, r.Value!["Properties"] as JsonObject ?? []));

    /// <summary>Every statement of every IAM policy (AWS::IAM::Policy and inline role policies).</summary>
    public IEnumerable<IamStatement> Statements()
    {
        var documents = OfType("AWS::IAM::Policy").Select(p => p.Properties["PolicyDocument"])
            .Concat(OfType("AWS::IAM::Role").SelectMany(r => (r.Properties["Policies"] as JsonArray ?? []).Select(p => p!["PolicyDocument"])));
        foreach (var document in documents)
        {
            foreach (var statement in document!["Statement"]!.AsArray())
            {
                yield return new IamStatement((JsonObject)statement!);
            }
        }
    }

    /// <summary>Renders a CloudFormation value as text: Fn::Join joined, Ref as ${Ref}, Fn::GetAtt as ${Id.Attr}.</summary>
    public static string Render(JsonNode? value) => value switch
    {
        JsonValue v => v.ToString(),
        JsonObject o when o["Ref"] is { } r => "${" + r + "}",
        JsonObject o when o["Fn::GetAtt"] is JsonArray a => "${" + a[0] + "." + a[1] + "}",
        JsonObject o when o["Fn::Join"] is JsonArray j => string.Join(j[0]!.ToString(), j[1]!.AsArray().Select(Render)),
        JsonObject o when o["Fn::FindInMap"] is not null => "${FindInMap}",
        _ => value?.ToJsonString() ?? "",
    };

    public static IReadOnlyList<JsonNode?> ListOf(JsonNode? node) => node is JsonArray a ? [.. a] : [node];
}

public sealed class IamStatement(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public IReadOnlyList<string> Actions { get; } = TemplateJson.ListOf(json["Action"]).Select(a => a!.ToString()).ToList();

    public IReadOnlyList<string> Resources { get; } = TemplateJson.ListOf(json["Resource"]).Select(TemplateJson.Render).ToList();

    public JsonNode? Condition => Json["Condition"];

    public override string ToString() => Json.ToJsonString();
}
