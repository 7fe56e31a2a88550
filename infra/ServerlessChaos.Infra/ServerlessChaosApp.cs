using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.CDK;
using ServerlessChaos.Infra.ControlPlane;
using ServerlessChaos.Infra.SampleTarget;
using ServerlessChaos.Infra.Settings;

namespace ServerlessChaos.Infra;

/// <summary>The stacks of the app, built from validated settings.</summary>
/// <param name="ControlPlane">The control plane.</param>
/// <param name="SampleTarget">The sample target, or null when disabled.</param>
public sealed record ServerlessChaosStacks(ControlPlaneStack ControlPlane, SampleTargetStack? SampleTarget);

/// <summary>Composes the app: reads the settings from context and adds the stacks.</summary>
public static class ServerlessChaosApp
{
    /// <summary>The control-plane stack's name.</summary>
    public const string ControlPlaneStackName = "ServerlessChaos";

    /// <summary>The sample target stack's name.</summary>
    public const string SampleTargetStackName = "ServerlessChaosSampleTarget";

    /// <summary>Reads the <c>serverlessChaos</c> and <c>serverlessChaos:bootstrap</c> context of <paramref name="app"/>.</summary>
    /// <exception cref="InfraSettingsException">A setting is invalid.</exception>
    public static InfraSettings ReadSettings(App app, string repositoryRoot)
    {
        var bootstrap = app.Node.TryGetContext(InfraSettings.BootstrapContextKey);
        var settings = app.Node.TryGetContext(InfraSettings.ContextKey);
        JsonNode? json;
        try
        {
            // A value given with -c on the command line arrives as text: accept a JSON object there.
            json = settings is string text ? JsonNode.Parse(text) : ContextJson.ToJsonNode(settings);
        }
        catch (JsonException e)
        {
            throw new InfraSettingsException($"context.{InfraSettings.ContextKey} is not valid JSON: {e.Message}");
        }

        return InfraSettingsReader.Read(json, repositoryRoot, bootstrap?.ToString());
    }

    /// <summary>Adds the stacks to <paramref name="app"/>.</summary>
    /// <exception cref="InfraSettingsException">The ASL file or a setting cannot be deployed.</exception>
    public static ServerlessChaosStacks Build(App app, InfraSettings settings)
    {
        // Account and region come from the CLI's profile at deploy time; the templates stay environment-agnostic.
        var controlPlane = new ControlPlaneStack(app, ControlPlaneStackName, new ControlPlaneStackProps
        {
            Settings = settings,
            Description = "ServerlessChaos control plane: experiment state machine, control functions, dead-letter queue, halt parameter",
        });

        SampleTargetStack? sample = null;
        if (settings.SampleTarget.Enabled)
        {
            sample = new SampleTargetStack(app, SampleTargetStackName, new SampleTargetStackProps
            {
                Settings = settings,
                Description = "ServerlessChaos sample target: API Gateway + wrapper-decorated Lambda + ECS Fargate service, with alarms and FIS templates",
            });
        }

        return new ServerlessChaosStacks(controlPlane, sample);
    }
}
