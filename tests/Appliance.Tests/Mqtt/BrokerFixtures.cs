namespace Appliance.Tests.Mqtt;

/// <summary>One anonymous plain-TCP Mosquitto per test class.</summary>
public sealed class PlainBrokerFixture : IDisposable
{
    public MosquittoBroker Broker { get; } = MosquittoBroker.StartPlain();

    public void Dispose() => Broker.Dispose();
}

/// <summary>One TLS Mosquitto with a password file per test class.</summary>
public sealed class TlsBrokerFixture : IDisposable
{
    public MosquittoBroker Broker { get; } = MosquittoBroker.StartTls();

    public void Dispose() => Broker.Dispose();
}
