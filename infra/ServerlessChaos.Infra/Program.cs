using Amazon.CDK;
using ServerlessChaos.Infra;
using ServerlessChaos.Infra.Settings;

var app = new App();
try
{
    // The CDK CLI runs the app from the repository root (where cdk.json is).
    var settings = ServerlessChaosApp.ReadSettings(app, Directory.GetCurrentDirectory());
    Console.Error.WriteLine(settings.Bootstrap.IsPlaceholder
        ? "ServerlessChaos: using the PLACEHOLDER bootstrap (synth only; this template refuses to deploy)"
        : $"ServerlessChaos: using the published bootstrap in {settings.Bootstrap.Directory}");
    ServerlessChaosApp.Build(app, settings);
}
catch (InfraSettingsException e)
{
    Console.Error.WriteLine($"ServerlessChaos: {e.Message}");
    return 1;
}

app.Synth();
return 0;
