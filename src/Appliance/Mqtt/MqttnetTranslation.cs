using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;

namespace Appliance.Mqtt;

/// <summary>Turns our options and messages into MQTTnet's and back; the only place besides <see cref="BrokerConnection"/> that knows MQTTnet.</summary>
internal static class MqttnetTranslation
{
    public static MqttClientOptions ClientOptions(BrokerConnectionOptions options, MqttProtocolVersion version, string clientId, bool cleanStart)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(options.Host, options.Port)
            .WithProtocolVersion(version == MqttProtocolVersion.V500 ? MQTTnet.Formatter.MqttProtocolVersion.V500 : MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithCleanStart(cleanStart)
            .WithTimeout(options.ConnectTimeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds));
        if (options.KeepAliveSeconds == 0)
        {
            builder.WithNoKeepAlive();
        }

        if (version == MqttProtocolVersion.V500)
        {
            builder.WithSessionExpiryInterval(options.SessionExpirySeconds)
                .WithMaximumPacketSize((uint)options.MaximumPacketSize)
                .WithReceiveMaximum(options.ReceiveMaximum);
        }

        if (options.UserName is { } userName)
        {
            builder.WithCredentials(userName, options.Password);
        }

        if (options.Will is { } will)
        {
            AddWill(builder, will, version, options.WillDelaySeconds);
        }

        if (options.Tls is { } tls)
        {
            builder.WithTlsOptions(TlsOptions(tls, options.Host));
        }

        var built = builder.Build();

        // Our own checks (BrokerConnectionOptions.Validate, MqttTopic) decide what is valid; MQTTnet's feature check
        // would refuse 5.0 properties on a 3.1.1 connection instead of leaving them out.
        built.ValidateFeatures = false;
        return built;
    }

    public static MQTTnet.MqttApplicationMessage Outgoing(MqttMessage message, MqttProtocolVersion version)
    {
        var outgoing = new MQTTnet.MqttApplicationMessage
        {
            Topic = message.Topic,
            PayloadSegment = message.Payload.ToArray(),
            QualityOfServiceLevel = (MqttQualityOfServiceLevel)message.Qos,
            Retain = message.Retain,
        };
        if (version == MqttProtocolVersion.V500)
        {
            outgoing.ResponseTopic = message.ResponseTopic;
            outgoing.CorrelationData = message.CorrelationData?.ToArray();
            outgoing.ContentType = message.ContentType;
            outgoing.PayloadFormatIndicator = (MqttPayloadFormatIndicator)(message.PayloadFormat ?? MqttPayloadFormat.Bytes);
            outgoing.MessageExpiryInterval = message.MessageExpirySeconds ?? 0;
            if (message.UserProperties.Count > 0)
            {
                outgoing.UserProperties = [.. message.UserProperties.Select(p => new MQTTnet.Packets.MqttUserProperty(p.Name, Encoding.UTF8.GetBytes(p.Value).AsMemory()))];
            }
        }

        return outgoing;
    }

    /// <summary>Copies what arrived (MQTTnet reuses its buffers once the handler returns).</summary>
    public static MqttMessage Incoming(MQTTnet.MqttApplicationMessage message) => new()
    {
        Topic = message.Topic,
        Payload = message.Payload.ToArray(),
        Qos = (MqttQualityOfService)message.QualityOfServiceLevel,
        Retain = message.Retain,
        Dup = message.Dup,
        ResponseTopic = message.ResponseTopic,
        ContentType = message.ContentType,
        CorrelationData = message.CorrelationData is { Length: > 0 } correlation ? (ReadOnlyMemory<byte>?)correlation : null,
        PayloadFormat = message.PayloadFormatIndicator == MqttPayloadFormatIndicator.CharacterData ? MqttPayloadFormat.Utf8 : null,
        MessageExpirySeconds = message.MessageExpiryInterval == 0 ? null : message.MessageExpiryInterval,
        UserProperties = message.UserProperties is { Count: > 0 } properties ? [.. properties.Select(p => new MqttUserProperty(p.Name, Encoding.UTF8.GetString(p.ValueBuffer.Span)))] : [],
    };

    public static MQTTnet.Packets.MqttTopicFilter TopicFilter(MqttTopicSubscription subscription) => new()
    {
        Topic = subscription.TopicFilter,
        QualityOfServiceLevel = (MqttQualityOfServiceLevel)subscription.MaximumQos,
        NoLocal = subscription.NoLocal,
        RetainAsPublished = subscription.RetainAsPublished,
        RetainHandling = (MQTTnet.Protocol.MqttRetainHandling)subscription.RetainHandling,
    };

    private static void AddWill(MqttClientOptionsBuilder builder, MqttMessage will, MqttProtocolVersion version, uint delaySeconds)
    {
        builder.WithWillTopic(will.Topic)
            .WithWillPayload(will.Payload.ToArray())
            .WithWillQualityOfServiceLevel((MqttQualityOfServiceLevel)will.Qos)
            .WithWillRetain(will.Retain);
        if (version != MqttProtocolVersion.V500)
        {
            return;
        }

        builder.WithWillDelayInterval(delaySeconds).WithWillMessageExpiryInterval(will.MessageExpirySeconds ?? 0);
        if (will.ContentType is { } contentType)
        {
            builder.WithWillContentType(contentType);
        }

        if (will.PayloadFormat is { } format)
        {
            builder.WithWillPayloadFormatIndicator((MqttPayloadFormatIndicator)format);
        }

        foreach (var property in will.UserProperties)
        {
            builder.WithWillUserProperty(property.Name, Encoding.UTF8.GetBytes(property.Value).AsMemory());
        }
    }

    /// <summary>TLS with the system trust store, or a private CA from PEM; a client certificate from a PEM pair.</summary>
    private static MqttClientTlsOptions TlsOptions(MqttTlsOptions tls, string host)
    {
        var serverName = tls.ServerName ?? host;
        X509Certificate2Collection? trusted = tls.CaFile is { } caFile ? LoadCertificates(caFile) : null;
        var options = new MqttClientTlsOptions
        {
            UseTls = true,
            TargetHost = serverName,
            RevocationMode = X509RevocationMode.NoCheck,
            CertificateValidationHandler = args => IsTrusted(args, trusted, tls.CheckServerName, serverName),
        };
        if (tls.ClientCertificateFile is { } certificateFile && tls.ClientKeyFile is { } keyFile)
        {
            options.ClientCertificatesProvider = new PemClientCertificate(LoadClientCertificate(certificateFile, keyFile));
        }

        return options;
    }

    private static bool IsTrusted(MqttClientCertificateValidationEventArgs args, X509Certificate2Collection? trusted, bool checkName, string serverName)
    {
        var errors = args.SslPolicyErrors;
        if (!checkName)
        {
            errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        }

        if (trusted is not null && (errors & SslPolicyErrors.RemoteCertificateChainErrors) != 0 && args.Certificate is { } presented)
        {
            // The system store does not know the private CA: build the chain again against it alone.
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
            if (args.Chain is { } received)
            {
                foreach (var element in received.ChainElements)
                {
                    chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            using var certificate = new X509Certificate2(presented);
            if (chain.Build(certificate))
            {
                errors &= ~SslPolicyErrors.RemoteCertificateChainErrors;
            }
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        throw new BrokerConnectionException($"the broker's certificate failed validation ({errors}) for server name '{serverName}'");
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new BrokerConnectionException($"Tls.CaFile '{path}' cannot be read as PEM certificates: {e.Message}", innerException: e);
        }

        return certificates.Count > 0 ? certificates : throw new BrokerConnectionException($"Tls.CaFile '{path}' holds no PEM certificate.");
    }

    private static X509Certificate2 LoadClientCertificate(string certificateFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new BrokerConnectionException(
                $"Tls.ClientCertificateFile '{certificateFile}' with Tls.ClientKeyFile '{keyFile}' cannot be loaded: {e.Message}", innerException: e);
        }
    }

    private sealed class PemClientCertificate(X509Certificate2 certificate) : IMqttClientCertificatesProvider
    {
        public X509CertificateCollection GetCertificates() => [certificate];
    }
}
