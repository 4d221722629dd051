
namespace Appliance.Mqtt;

/// <summary>How <see cref="BrokerConnection"/> connects (turned into MQTTnet options at every connect). <see cref="Validate"/> runs when the client is created.</summary>
public sealed class BrokerConnectionOptions
{
    /// <summary>The smallest packet limit accepted: enough for CONNACK, acks and small messages.</summary>
    public const int MinimumPacketSizeLimit = 128;

    /// <summary>The largest packet MQTT can describe: a 4-byte remaining length (268,435,455) plus its fixed header.</summary>
    public const int MaximumPacketSizeLimit = 268_435_460;

    public string Host { get; set; } = "localhost";

    public int Port { get; set; } = 1883;

    /// <summary>Empty lets a 5.0 broker assign one (reused on reconnect); 3.1.1 then needs <see cref="CleanStart"/>.</summary>
    public string ClientId { get; set; } = "";

    /// <summary>The version tried first; see <see cref="AllowProtocolFallback"/>.</summary>
    public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Retry with 3.1.1 when a broker refuses 5.0 (CONNACK 0x84, a 3.1.1 refusal, or closing the connection).</summary>
    public bool AllowProtocolFallback { get; set; } = true;

    /// <summary>Start with a fresh session on the first connection; reconnects always try to resume (5.0).</summary>
    public bool CleanStart { get; set; } = true;

    /// <summary>5.0: how long the broker keeps the session after a disconnect (0 = ends with the connection).</summary>
    public uint SessionExpirySeconds { get; set; }

    /// <summary>0 turns keep-alive off; a broker's Server Keep Alive overrides it.</summary>
    public ushort KeepAliveSeconds { get; set; } = 30;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Published by the broker when this client's connection ends without DISCONNECT.</summary>
    public MqttMessage? Will { get; set; }

    /// <summary>5.0: seconds the broker waits before publishing the will.</summary>
    public uint WillDelaySeconds { get; set; }

    /// <summary>Null means plain TCP.</summary>
    public MqttTlsOptions? Tls { get; set; }

    /// <summary>Covers the TCP connect, the TLS handshake and the wait for CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>5.0: how many QoS 1/2 messages the broker may have in flight to this client.</summary>
    public ushort ReceiveMaximum { get; set; } = ushort.MaxValue;

    /// <summary>The largest packet accepted from the broker (announced to 5.0 brokers, enforced for both versions).</summary>
    public int MaximumPacketSize { get; set; } = 1024 * 1024;

    public MqttReconnectOptions Reconnect { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> listing every invalid setting.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        Check(!string.IsNullOrWhiteSpace(Host), "Host must not be empty");
        Check(Port is >= 1 and <= 65535, $"Port {Port} is outside 1..65535");
        Check(ProtocolVersion is MqttProtocolVersion.V311 or MqttProtocolVersion.V500, $"ProtocolVersion {(byte)ProtocolVersion} is neither V311 nor V500");
        var mayUse311 = ProtocolVersion == MqttProtocolVersion.V311 || AllowProtocolFallback;
        CheckString(problems, ClientId, nameof(ClientId));
        Check(ClientId.Length > 0 || CleanStart || !mayUse311, "ClientId must be set when CleanStart is false and MQTT 3.1.1 may be used");
        Check(Password is null || UserName is not null || !mayUse311, "Password needs a UserName when MQTT 3.1.1 may be used");
        CheckString(problems, UserName, nameof(UserName));
        CheckString(problems, Password, nameof(Password));
        if (Will is { } will)
        {
            Check(MqttTopic.FindTopicNameProblem(will.Topic) is null, $"Will.Topic: {MqttTopic.FindTopicNameProblem(will.Topic)}");
            Check(will.Qos <= MqttQualityOfService.ExactlyOnce, $"Will.Qos {(byte)will.Qos} is not 0, 1 or 2");
            Check(will.Payload.Length <= ushort.MaxValue, $"Will.Payload is {will.Payload.Length} bytes; a will payload holds at most {ushort.MaxValue}");
        }

        Check(ConnectTimeout > TimeSpan.Zero, $"ConnectTimeout {ConnectTimeout} must be positive");
        Check(ReceiveMaximum > 0, "ReceiveMaximum must be at least 1");
        Check(
            MaximumPacketSize is >= MinimumPacketSizeLimit and <= MaximumPacketSizeLimit,
            $"MaximumPacketSize {MaximumPacketSize} is outside {MinimumPacketSizeLimit}..{MaximumPacketSizeLimit}");
        if (Tls is { } tls)
        {
            CheckFile(problems, tls.CaFile, "Tls.CaFile");
            CheckFile(problems, tls.ClientCertificateFile, "Tls.ClientCertificateFile");
            CheckFile(problems, tls.ClientKeyFile, "Tls.ClientKeyFile");
            Check(
                (tls.ClientCertificateFile is null) == (tls.ClientKeyFile is null),
                "Tls.ClientCertificateFile and Tls.ClientKeyFile must be set together");
        }

        if (Reconnect is null)
        {
            problems.Add("Reconnect must not be null");
        }
        else
        {
            Check(Reconnect.InitialDelay > TimeSpan.Zero, $"Reconnect.InitialDelay {Reconnect.InitialDelay} must be positive");
            Check(
                Reconnect.MaximumDelay >= Reconnect.InitialDelay,
                $"Reconnect.MaximumDelay {Reconnect.MaximumDelay} is shorter than Reconnect.InitialDelay {Reconnect.InitialDelay}");
            Check(Reconnect.JitterFraction is >= 0 and <= 1, $"Reconnect.JitterFraction {Reconnect.JitterFraction} is outside 0..1");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid MQTT client options: {string.Join("; ", problems)}.");
        }
    }

    private static void CheckString(List<string> problems, string? value, string name)
    {
        if (value is null)
        {
            return;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            problems.Add($"{name} contains U+0000");
        }
        else if (!IsWellFormedUtf16(value))
        {
            problems.Add($"{name} contains an unpaired surrogate");
        }
        else if (System.Text.Encoding.UTF8.GetByteCount(value) > ushort.MaxValue)
        {
            problems.Add($"{name} is longer than {ushort.MaxValue} bytes of UTF-8");
        }
    }

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static void CheckFile(List<string> problems, string? path, string name)
    {
        if (path is not null && !File.Exists(path))
        {
            problems.Add($"{name} '{path}' does not exist");
        }
    }
}
