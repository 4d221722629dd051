using System.Text;
using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

public sealed class MosquittoTlsTests : IClassFixture<TlsBrokerFixture>
{
    private readonly MosquittoBroker _broker;

    public MosquittoTlsTests(TlsBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Fact]
    public async Task Tls_with_a_private_ca_and_password_round_trips()
    {
        var topic = $"secure/{Guid.NewGuid():N}";
        await using var client = TestClients.Create(Options(MosquittoBroker.Password));

        await client.ConnectAsync().Within();
        await client.SubscribeAsync(topic).Within();
        await client.PublishAsync(new MqttMessage { Topic = topic, Payload = "over tls"u8.ToArray(), Qos = MqttQualityOfService.AtLeastOnce }).Within();

        Assert.Equal("over tls", Encoding.UTF8.GetString((await client.NextMessageAsync()).Payload.Span));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_brokers_reason()
    {
        await using var client = TestClients.Create(Options("wrong-password"));

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => client.ConnectAsync());

        Assert.Contains(error.ReasonCode, new MqttReasonCode?[] { MqttReasonCode.NotAuthorized, MqttReasonCode.BadUserNameOrPassword });
        Assert.Contains($"127.0.0.1:{_broker.Port} refused the connection", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A_certificate_for_another_name_is_refused_unless_the_name_check_is_off()
    {
        var options = Options(MosquittoBroker.Password);
        options.Tls!.ServerName = "broker.elsewhere.example";
        await using (var client = TestClients.Create(options))
        {
            var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => client.ConnectAsync());
            Assert.Contains("RemoteCertificateNameMismatch", error.Message, StringComparison.Ordinal);
            Assert.Contains("broker.elsewhere.example", error.Message, StringComparison.Ordinal);
        }

        options.Tls.CheckServerName = false;
        await using var lenient = TestClients.Create(options);
        Assert.Equal(MqttProtocolVersion.V500, (await lenient.ConnectAsync().Within()).ProtocolVersion);
    }

    [Fact]
    public async Task A_broker_signed_by_an_unknown_ca_is_refused()
    {
        var options = Options(MosquittoBroker.Password);
        options.Tls!.CaFile = null;
        await using var client = TestClients.Create(options);

        var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => client.ConnectAsync());

        Assert.Contains("RemoteCertificateChainErrors", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_listener_requiring_client_certificates_accepts_the_configured_pem_pair_only()
    {
        var without = Options(MosquittoBroker.Password, _broker.ClientCertificatePort);
        await using (var client = TestClients.Create(without))
        {
            var error = await Assert.ThrowsAsync<BrokerConnectionException>(() => client.ConnectAsync());
            // TLS 1.3 refuses the missing certificate after the handshake: the client sees an alert or a reset instead of CONNACK.
            Assert.Contains("closed the connection before CONNACK", error.Message, StringComparison.Ordinal);
        }

        var with = Options(MosquittoBroker.Password, _broker.ClientCertificatePort);
        with.Tls!.ClientCertificateFile = _broker.ClientCertificateFile;
        with.Tls.ClientKeyFile = _broker.ClientKeyFile;
        await using var authenticated = TestClients.Create(with);
        Assert.Equal(MqttProtocolVersion.V500, (await authenticated.ConnectAsync().Within()).ProtocolVersion);
    }

    private BrokerConnectionOptions Options(string password, int? port = null)
    {
        var options = TestClients.Options(port ?? _broker.Port);
        options.UserName = MosquittoBroker.UserName;
        options.Password = password;
        options.Tls = new MqttTlsOptions { CaFile = _broker.CaFile, ServerName = "localhost" };
        return options;
    }
}
