using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessChaos.Infra.Tests.Support;

/// <summary>
/// IAM actions and the ARN formats of their resource types, from Reference/iam-actions.json (a small extract of the
/// Service Authorization Reference), and the check of a policy statement against them.
/// </summary>
public sealed partial class IamReference
{
    public static readonly string File = Path.Combine(Repository.Root, "tests", "ServerlessChaos.Infra.Tests", "Reference", "iam-actions.json");

    private IamReference(JsonObject json)
    {
        Source = json["source"]!.GetValue<string>();
        ResourceTypes = json["resourceTypes"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
        Actions = json["actions"]!.AsObject().ToDictionary(
            p => p.Key, p => (IReadOnlyList<string>)p.Value!.AsArray().Select(t => t!.GetValue<string>()).ToList(), StringComparer.Ordinal);
    }

    public static IamReference Load() => new(JsonNode.Parse(System.IO.File.ReadAllText(File))!.AsObject());

    public string Source { get; }

    /// <summary>ARN format by <c>service:resource-type</c>.</summary>
    public IReadOnlyDictionary<string, string> ResourceTypes { get; }

    /// <summary>Resource types (<c>service:type</c>) by action (<c>service:Action</c>); empty when the action has none.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Actions { get; }

    /// <summary>What is wrong with <paramref name="statement"/> of <paramref name="template"/>; empty when nothing is.</summary>
    public IEnumerable<string> Problems(IamStatement statement, TemplateJson? template = null)
    {
        foreach (var action in statement.Actions)
        {
            if (!Actions.TryGetValue(action, out var types))
            {
                yield return $"{action} is not an action of the Service Authorization Reference data ({Path.GetFileName(File)}): a typo, or add it with its resource types";
                continue;
            }

            foreach (var resource in statement.Resources)
            {
                if (resource == "*")
                {
                    continue;
                }

                if (types.Count == 0)
                {
                    yield return $"{action} has no resource type, so only Resource \"*\" grants it (was {resource})";
                    continue;
                }

                var arn = Resolve(resource, template);
                var formats = types.Select(t => ResourceTypes[t]).ToList();
                if (!formats.Any(f => HasFormat(arn, f)))
                {
                    yield return $"{action} applies to {string.Join(" or ", formats)}; {resource} has none of those formats";
                }
            }
        }
    }

    /// <summary>Whether <paramref name="arn"/> (which may hold IAM wildcards) has the format <paramref name="format"/>.</summary>
    public static bool HasFormat(string arn, string format)
    {
        var a = arn.Split(':', 6);
        var f = format.Split(':', 6);
        if (a.Length != 6 || a[0] != "arn" || a[2] != f[2])
        {
            return false;
        }

        // Partition, region and account: anything where the format has a variable; empty (or a wildcard) where it is empty (S3).
        for (var i = 3; i <= 4; i++)
        {
            if (f[i].Length == 0 && a[i].Length > 0 && a[i] != "*")
            {
                return false;
            }
        }

        // The resource part: the format's literal start (say "function:" or "task/") decides colon against slash.
        var literal = f[5].Split("${")[0];
        var resource = a[5];
        var wildcard = resource.IndexOf('*', StringComparison.Ordinal);
        return resource.StartsWith(literal, StringComparison.Ordinal)
            || (wildcard >= 0 && literal.StartsWith(resource[..wildcard], StringComparison.Ordinal));
    }

    /// <summary>Turns a rendered CloudFormation value into an ARN: pseudo parameters and references to resources resolved.</summary>
    private static string Resolve(string resource, TemplateJson? template)
    {
        var text = resource.Replace("${AWS::Partition}", "aws", StringComparison.Ordinal)
            .Replace("${AWS::Region}", "eu-west-1", StringComparison.Ordinal)
            .Replace("${AWS::AccountId}", "123456789012", StringComparison.Ordinal)
            .Replace("${AWS::URLSuffix}", "amazonaws.com", StringComparison.Ordinal);
        return Reference().Replace(text, m =>
        {
            var id = m.Groups["id"].Value;
            var type = template?.Resources[id]?["Type"]?.GetValue<string>();
            return (type, m.Groups["attribute"].Value) switch
            {
                ("AWS::SQS::Queue", ".Arn") => $"arn:aws:sqs:eu-west-1:123456789012:{id}",
                ("AWS::Logs::LogGroup", ".Arn") => $"arn:aws:logs:eu-west-1:123456789012:log-group:{id}:*",
                ("AWS::S3::Bucket", ".Arn") => $"arn:aws:s3:::{id.ToLowerInvariant()}",
                ("AWS::Lambda::Function", ".Arn") => $"arn:aws:lambda:eu-west-1:123456789012:function:{id}",
                ("AWS::StepFunctions::StateMachine", "") => $"arn:aws:states:eu-west-1:123456789012:stateMachine:{id}",
                _ => throw new InvalidOperationException($"{m.Value} ({type ?? "not a resource of the template"}): teach IamReference.Resolve the ARN it stands for"),
            };
        });
    }

    [GeneratedRegex(@"\$\{(?<id>[A-Za-z0-9]+)(?<attribute>\.Arn)?\}")]
    private static partial Regex Reference();
}
