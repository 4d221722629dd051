namespace Appliance.Peer.Tests;

/// <summary>
/// Every test that runs GenAI, in this process or beside it: one at a time (the machine's cores are shared), within one
/// GenAI lifetime, on one set of tiny models.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GenAiFixtures : ICollectionFixture<GenAiRuntime>, ICollectionFixture<TinyPeerModels>
{
    public const string Name = "GenAI";
}
