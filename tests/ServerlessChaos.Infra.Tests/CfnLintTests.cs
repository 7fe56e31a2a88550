using System.Text.Json.Nodes;
using ServerlessChaos.Infra.Tests.Support;

namespace ServerlessChaos.Infra.Tests;

/// <summary>
/// cfn-lint (tests/requirements.txt; offline) on every template the CDK CLI synthesized, for the default and the
/// all-actions app: no error or warning beyond Reference/cfn-lint-allow.json, whose every entry says why.
/// </summary>
[Collection(CdkCliSynthCollection.Name)]
public sealed class CfnLintTests(CdkCliSynth synth)
{
    private static readonly string AllowListFile = Path.Combine(Repository.Root, "tests", "ServerlessChaos.Infra.Tests", "Reference", "cfn-lint-allow.json");

    [Fact]
    public void Every_synthesized_template_passes_cfn_lint_apart_from_the_allowed_findings()
    {
        var findings = synth.Lint();
        var allowed = AllowList();

        findings.ShouldNotBeEmpty("cfn-lint reports CDK's redundant DependsOn on these templates; no finding at all means it did not run");
        var unexpected = findings.Where(f => !allowed.Any(a => a.Allows(f))).ToList();
        unexpected.ShouldBeEmpty("cfn-lint findings not in Reference/cfn-lint-allow.json:\n" + string.Join("\n", unexpected));
        var unused = allowed.Where(a => !findings.Any(a.Allows)).ToList();
        unused.ShouldBeEmpty("allow-list entries no template needs any more (remove them): " + string.Join(", ", unused.Select(a => a.Rule)));
    }

    [Fact]
    public void The_all_actions_templates_need_no_placeholder_exception()
    {
        synth.Lint().Where(f => f.File.StartsWith(synth.AllActions.Directory, StringComparison.Ordinal)).Select(f => f.Rule).Distinct()
            .ShouldBe(["W3005"], "only CDK's redundant DependsOn");
    }

    [Fact]
    public void Every_allowed_finding_says_why()
    {
        foreach (var entry in AllowList())
        {
            entry.Rule.ShouldMatch("^[EWI][0-9]{4}$");
            entry.Reason.Length.ShouldBeGreaterThan(40, entry.Rule);
        }
    }

    private static List<AllowedFinding> AllowList() =>
        JsonNode.Parse(File.ReadAllText(AllowListFile))!["allowed"]!.AsArray()
            .Select(e => new AllowedFinding(e!["rule"]!.GetValue<string>(), e["message"]!.GetValue<string>(), e["reason"]!.GetValue<string>()))
            .ToList();

    private sealed record AllowedFinding(string Rule, string Message, string Reason)
    {
        public bool Allows(CfnLintFinding finding) => finding.Rule == Rule && finding.Message.Contains(Message, StringComparison.Ordinal);
    }
}
