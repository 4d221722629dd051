using Appliance.Mqtt;

namespace Appliance.Tests.Mqtt;

public sealed class BrokerConnectionOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        new BrokerConnectionOptions().Validate();
    }

    [Fact]
    public void Every_invalid_setting_is_named_in_one_message()
    {
        var options = new BrokerConnectionOptions
        {
            Host = " ",
            Port = 70000,
            ConnectTimeout = TimeSpan.Zero,
            ReceiveMaximum = 0,
            MaximumPacketSize = 10,
            Will = new MqttMessage { Topic = "status/#" },
            Reconnect = new MqttReconnectOptions { InitialDelay = TimeSpan.FromSeconds(5), MaximumDelay = TimeSpan.FromSeconds(1), JitterFraction = 1.5 },
        };

        var message = Assert.Throws<ArgumentException>(options.Validate).Message;

        Assert.Contains("Host must not be empty", message, StringComparison.Ordinal);
        Assert.Contains("Port 70000", message, StringComparison.Ordinal);
        Assert.Contains("ConnectTimeout", message, StringComparison.Ordinal);
        Assert.Contains("ReceiveMaximum", message, StringComparison.Ordinal);
        Assert.Contains("MaximumPacketSize 10", message, StringComparison.Ordinal);
        Assert.Contains("Will.Topic", message, StringComparison.Ordinal);
        Assert.Contains("Reconnect.MaximumDelay", message, StringComparison.Ordinal);
        Assert.Contains("Reconnect.JitterFraction 1.5", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_mqtt311_cannot_express_are_refused_while_fallback_is_allowed()
    {
        var options = new BrokerConnectionOptions { ClientId = "", CleanStart = false, Password = "secret" };
        var message = Assert.Throws<ArgumentException>(options.Validate).Message;
        Assert.Contains("ClientId must be set when CleanStart is false", message, StringComparison.Ordinal);
        Assert.Contains("Password needs a UserName", message, StringComparison.Ordinal);

        options.AllowProtocolFallback = false;
        options.Validate();

        options.ProtocolVersion = MqttProtocolVersion.V311;
        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void Missing_tls_files_and_half_a_client_certificate_are_named()
    {
        var options = new BrokerConnectionOptions
        {
            Tls = new MqttTlsOptions { CaFile = "/nonexistent/ca.pem", ClientCertificateFile = "/nonexistent/client.pem" },
        };
        var message = Assert.Throws<ArgumentException>(options.Validate).Message;
        Assert.Contains("Tls.CaFile '/nonexistent/ca.pem' does not exist", message, StringComparison.Ordinal);
        Assert.Contains("must be set together", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_mqtt_cannot_carry_are_refused()
    {
        var options = new BrokerConnectionOptions { ClientId = "a\0b", UserName = "u\ud800" };
        var message = Assert.Throws<ArgumentException>(options.Validate).Message;
        Assert.Contains("ClientId contains U+0000", message, StringComparison.Ordinal);
        Assert.Contains("UserName contains an unpaired surrogate", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_client_validates_its_options_when_created()
    {
        Assert.Throws<ArgumentException>(() => new BrokerConnection(new BrokerConnectionOptions { Port = 0 }));
    }
}
