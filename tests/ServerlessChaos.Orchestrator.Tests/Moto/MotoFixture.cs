using Amazon;
using Amazon.Runtime;
using ServerlessChaos.Orchestrator.Backends.Aws;

namespace ServerlessChaos.Orchestrator.Tests.Moto;

/// <summary>One moto server (signature checking on) for every test in the collection.</summary>
public sealed class MotoFixture : IAsyncLifetime
{
    public MotoServer Server { get; private set; } = null!;

    /// <summary>The administrator's access, every client pointed at moto.</summary>
    public AwsAccess Admin => Access(Server.Admin);

    public AwsAccess Access(MotoKeys keys) =>
        AwsAccess.From(RegionEndpoint.GetBySystemName(MotoServer.Region), new BasicAWSCredentials(keys.AccessKeyId, keys.SecretAccessKey), Server.Url);

    public async Task InitializeAsync() => Server = await MotoServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
