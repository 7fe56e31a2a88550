using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra.ControlPlane;

/// <summary>
/// The code of every function the app deploys: the one <c>bootstrap</c> executable (provided.al2023), published by
/// cdk.json's build step, or, for an offline synth only, a placeholder that the stack refuses to deploy.
/// </summary>
public static class BootstrapAsset
{
    /// <summary>The folder (relative to the repository root) holding the placeholder bootstrap.</summary>
    public const string PlaceholderDirectory = "infra/placeholder-bootstrap";

    /// <summary>The command that publishes the real bootstrap (cdk.json's <c>build</c> runs it).</summary>
    public const string PublishCommand =
        "dotnet publish src/Orchestrator/ServerlessChaos.Orchestrator.csproj -c Release -r linux-x64 -o " + InfraSettings.DefaultBootstrapDirectory;

    /// <summary>The code asset for the functions of <paramref name="stack"/> (one asset per stack; functions share it).</summary>
    /// <exception cref="InfraSettingsException">The published bootstrap is missing.</exception>
    public static Code For(Stack stack, InfraSettings settings)
    {
        if (settings.Bootstrap.IsPlaceholder)
        {
            GuardPlaceholder(stack);
            return Code.FromAsset(Path.Combine(settings.RepositoryRoot, PlaceholderDirectory));
        }

        var directory = Path.GetFullPath(Path.Combine(settings.RepositoryRoot, settings.Bootstrap.Directory!));
        if (!File.Exists(Path.Combine(directory, "bootstrap")))
        {
            throw new InfraSettingsException(
                $"context.{InfraSettings.BootstrapContextKey}: no 'bootstrap' executable in '{settings.Bootstrap.Directory}'. " +
                $"Publish it with `{PublishCommand}` (cdk.json's build step does this before every cdk command), " +
                $"or synthesize offline with `-c {InfraSettings.BootstrapContextKey}=placeholder` (that template cannot be deployed).");
        }

        // Only the executable and what it loads: publish also leaves debug symbols and XML docs (tens of MB) there.
        return Code.FromAsset(directory, new Amazon.CDK.AWS.S3.Assets.AssetOptions { Exclude = ["*.dbg", "*.pdb", "*.xml"] });
    }

    private static void GuardPlaceholder(Stack stack)
    {
        const string message =
            "Synthesized with the placeholder bootstrap (-c serverlessChaos:bootstrap=placeholder): this template is for review and tests only. " +
            "Run cdk deploy without that flag so cdk.json's build step publishes the real bootstrap.";
        Annotations.Of(stack).AddWarningV2("serverless-chaos:placeholder-bootstrap", message);

        // A CloudFormation rule that never holds: creating a change set from this template fails with the message.
        _ = new CfnRule(stack, "PlaceholderBootstrapCannotBeDeployed", new CfnRuleProps
        {
            Assertions =
            [
                new CfnRuleAssertion
                {
                    Assert = Fn.ConditionEquals("placeholder-bootstrap", "published-bootstrap"),
                    AssertDescription = message,
                },
            ],
        });
    }
}
