using Amazon;
using Amazon.Runtime;
using ServerlessChaos.Orchestrator.Backends.Aws;

namespace ServerlessChaos.Cli.Tests.Moto;

/// <summary>One moto server (signature checking and IAM on) for the CLI's tests against it.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    public MotoServer Server { get; private set; } = null!;

    /// <summary>The administrator's store, for setting up and checking what the CLI did.</summary>
    public AwsParameterStore AdminParameters => new(AwsAccess.From(RegionEndpoint.USEast1, new BasicAWSCredentials(Server.Admin.AccessKeyId, Server.Admin.SecretAccessKey), Server.Url).CreateSsm());

    public async Task InitializeAsync() => Server = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
