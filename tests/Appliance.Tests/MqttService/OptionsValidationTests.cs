using Appliance.Contract;
using Appliance.Engine;
using Appliance.HomeAssistant;
using Appliance.Mqtt;
using Appliance.MqttService;
using Appliance.TestSupport;

namespace Appliance.Tests.MqttService;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid_except_the_model_path_which_must_be_given()
    {
        Assert.Empty(new BrokerOptions().Validate());
        Assert.Empty(new RequestLimits().Validate());
        Assert.Empty(new DiscoveryOptions().Validate());
        Assert.Equal(["no model: pass --model DIR (or set Engine:ModelPath)"], new EngineOptions().Validate());
    }

    [Fact]
    public void Every_broker_problem_is_named_with_its_configuration_path()
    {
        var problems = new BrokerOptions
        {
            Url = "http://broker",
            Password = "secret",
            ClientCertificateFile = "/nonexistent/client.crt",
            ReconnectInitialDelaySeconds = 0,
        }.Validate().ToList();

        Assert.Contains("Broker:Url must use the mqtt:// or mqtts:// scheme, got 'http://broker'", problems);
        Assert.Contains("Broker:Password needs Broker:Username", problems);
        Assert.Contains("Broker:ClientCertificateFile '/nonexistent/client.crt' does not exist", problems);
        Assert.Contains("Broker:ClientCertificateFile and Broker:ClientKeyFile must be set together", problems);
        Assert.Contains("Broker:ReconnectInitialDelaySeconds must be more than 0 and at most 3600, got 0", problems);
        Assert.Contains(
            "Broker:CaFile, ClientCertificateFile and ClientKeyFile need an mqtts:// Url, got 'mqtt://b'",
            new BrokerOptions { Url = "mqtt://b", CaFile = "/etc/hostname" }.Validate());
        Assert.Contains(
            "Broker:ReconnectMaximumDelaySeconds must be between ReconnectInitialDelaySeconds (5) and 3600, got 1",
            new BrokerOptions { ReconnectInitialDelaySeconds = 5, ReconnectMaximumDelaySeconds = 1 }.Validate());
    }

    [Fact]
    public void Request_limit_problems_are_named_with_their_configuration_path()
    {
        var problems = new RequestLimits { QueueDepth = 0, MaxPayloadBytes = 10, MaxTokensCap = 100, DefaultMaxTokens = 200, TimeoutSeconds = double.NaN }.Validate().ToList();

        Assert.Equal(
        [
            "Requests:QueueDepth must be ≥ 1, got 0",
            "Requests:MaxPayloadBytes must be ≥ 64, got 10",
            "Requests:DefaultMaxTokens must be between 1 and MaxTokensCap (100), got 200",
            "Requests:TimeoutSeconds must be a positive number of seconds, got NaN",
        ],
        problems);
        Assert.Equal(TimeSpan.FromSeconds(2.5), new RequestLimits { TimeoutSeconds = 2.5 }.Timeout);
    }

    [Fact]
    public void Engine_and_discovery_problems_are_named_with_their_configuration_path()
    {
        using var directory = new TempDirectory("engine-options");

        Assert.Empty(new EngineOptions { ModelPath = directory.Path }.Validate());
        Assert.Equal(
        [
            "Engine:ModelPath '/nonexistent/model' is not a directory",
            "Engine:Threads must be ≥ 0, got -1",
            "Engine:OrtLibrary '/nonexistent/libonnxruntime.so.1' does not exist",
        ],
        new EngineOptions { ModelPath = "/nonexistent/model", Threads = -1, OrtLibrary = "/nonexistent/libonnxruntime.so.1" }.Validate());
        Assert.Equal(
            ["HomeAssistant:Prefix must be a topic prefix without wildcards or leading/trailing '/', got 'home/#'"],
            new DiscoveryOptions { Prefix = "home/#" }.Validate());
    }

    [Theory]
    [InlineData("mqtt://broker.local", "broker.local", 1883, false)]
    [InlineData("mqtt://10.0.0.2:1884", "10.0.0.2", 1884, false)]
    [InlineData("mqtts://broker.local", "broker.local", 8883, true)]
    [InlineData("MQTTS://broker.local:9999/", "broker.local", 9999, true)]
    public void Broker_urls_give_host_port_and_tls(string url, string host, int port, bool tls)
    {
        Assert.Equal(new BrokerAddress(host, port, tls), BrokerAddress.Parse(url));
    }

    [Theory]
    [InlineData("broker.local:1883", "mqtt:// or mqtts://")]
    [InlineData("", "must be mqtt://host[:port] or mqtts://host[:port]")]
    [InlineData("mqtt://user:pw@broker", "credentials go in Username/Password")]
    [InlineData("mqtt://broker/topic", "must be only a scheme, a host and an optional port")]
    public void Bad_broker_urls_say_what_is_expected(string url, string expected)
    {
        Assert.False(BrokerAddress.TryParse(url, out _, out var problem));
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_options_carry_the_will_credentials_tls_and_reconnect_settings()
    {
        var will = new MqttMessage { Topic = "appliance/dev/status", Payload = "{}"u8.ToArray(), Retain = true };
        var options = BrokerClientOptions.Create(
            new BrokerOptions { Url = "mqtts://broker:8884", Username = "u", Password = "p", ReconnectInitialDelaySeconds = 2, ReconnectMaximumDelaySeconds = 20, SessionExpirySeconds = 900 },
            "dev",
            will,
            maxPayloadBytes: 65536);

        Assert.Equal(("broker", 8884, "appliance-dev", "u", "p"), (options.Host, options.Port, options.ClientId, options.UserName, options.Password));
        Assert.Same(will, options.Will);
        Assert.NotNull(options.Tls);
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20)), (options.Reconnect.InitialDelay, options.Reconnect.MaximumDelay));
        Assert.True(options.AllowProtocolFallback);
        Assert.Equal(900u, options.SessionExpirySeconds);
        Assert.False(options.CleanStart);
        Assert.Equal(3600u, new BrokerOptions().SessionExpirySeconds);

        // Well above the largest request, so an oversized one still arrives and is answered too_large.
        Assert.True(options.MaximumPacketSize >= (4 * 65536) + 65536);
        Assert.Null(BrokerClientOptions.Create(new BrokerOptions { ClientId = "mine" }, "dev", will, 1024).Tls);
        Assert.Equal("mine", BrokerClientOptions.Create(new BrokerOptions { ClientId = "mine" }, "dev", will, 1024).ClientId);
    }

    [Theory]
    [InlineData("kitchen-1", null)]
    [InlineData("a_b", null)]
    [InlineData("", "The device id must be 1 to 64 characters")]
    [InlineData("has/slash", "got 'has/slash'")]
    [InlineData("plus+", "got 'plus+'")]
    public void Device_ids_must_be_safe_as_topic_levels_and_home_assistant_ids(string deviceId, string? problem)
    {
        var found = ApplianceTopics.FindDeviceIdProblem(deviceId);

        if (problem is null)
        {
            Assert.Null(found);
            Assert.Equal($"appliance/{deviceId}/response/7", new ApplianceTopics(deviceId).Response("7"));
        }
        else
        {
            Assert.Contains(problem, found, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => new ApplianceTopics(deviceId));
        }
    }
}
