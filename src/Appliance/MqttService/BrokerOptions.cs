namespace Appliance.MqttService;

/// <summary>Where and how the service reaches its MQTT broker (configuration section <see cref="SectionName"/>).</summary>
public sealed class BrokerOptions
{
    public const string SectionName = "Broker";

    /// <summary>mqtt://host[:port] (default port 1883) or mqtts://host[:port] (TLS, default port 8883).</summary>
    public string Url { get; set; } = "mqtt://localhost:1883";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>PEM CA certificate(s) the broker's certificate must chain to (mqtts only); default: the system trust store.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate for brokers that require one; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    public string? ClientKeyFile { get; set; }

    /// <summary>Empty means "appliance-&lt;device-id&gt;".</summary>
    public string ClientId { get; set; } = "";

    public ushort KeepAliveSeconds { get; set; } = 30;

    /// <summary>
    /// How long the broker keeps the service's session (its subscriptions and the QoS 1 requests that arrive for it)
    /// after the connection ends; 0 ends the session with the connection. The service connects with Clean Start 0, so
    /// a broker that persists sessions delivers what was sent while the service was restarting or reconnecting.
    /// </summary>
    public uint SessionExpirySeconds { get; set; } = 3600;

    /// <summary>First delay before reconnecting after the broker is lost; it doubles per failed attempt.</summary>
    public double ReconnectInitialDelaySeconds { get; set; } = 1;

    /// <summary>The longest delay between reconnect attempts.</summary>
    public double ReconnectMaximumDelaySeconds { get; set; } = 30;

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (!BrokerAddress.TryParse(Url, out _, out var urlProblem))
        {
            problems.Add($"{SectionName}:Url {urlProblem}");
        }
        else if (!Url.StartsWith("mqtts://", StringComparison.OrdinalIgnoreCase)
            && (CaFile is not null || ClientCertificateFile is not null || ClientKeyFile is not null))
        {
            problems.Add($"{SectionName}:CaFile, ClientCertificateFile and ClientKeyFile need an mqtts:// Url, got '{Url}'");
        }

        if (Password is not null && string.IsNullOrEmpty(Username))
        {
            problems.Add($"{SectionName}:Password needs {SectionName}:Username");
        }

        CheckFile(problems, CaFile, "CaFile");
        CheckFile(problems, ClientCertificateFile, "ClientCertificateFile");
        CheckFile(problems, ClientKeyFile, "ClientKeyFile");
        if ((ClientCertificateFile is null) != (ClientKeyFile is null))
        {
            problems.Add($"{SectionName}:ClientCertificateFile and {SectionName}:ClientKeyFile must be set together");
        }

        if (ClientId.Length > 0 && (ClientId.Contains('\0', StringComparison.Ordinal) || ClientId.Length > 256))
        {
            problems.Add($"{SectionName}:ClientId must be at most 256 characters without U+0000, got '{ClientId}'");
        }

        if (!(ReconnectInitialDelaySeconds > 0) || ReconnectInitialDelaySeconds > 3600)
        {
            problems.Add($"{SectionName}:ReconnectInitialDelaySeconds must be more than 0 and at most 3600, got {ReconnectInitialDelaySeconds}");
        }
        else if (!(ReconnectMaximumDelaySeconds >= ReconnectInitialDelaySeconds) || ReconnectMaximumDelaySeconds > 3600)
        {
            problems.Add(
                $"{SectionName}:ReconnectMaximumDelaySeconds must be between ReconnectInitialDelaySeconds ({ReconnectInitialDelaySeconds}) and 3600, got {ReconnectMaximumDelaySeconds}");
        }

        return problems;
    }

    private static void CheckFile(List<string> problems, string? path, string name)
    {
        if (path is not null && !File.Exists(path))
        {
            problems.Add($"{SectionName}:{name} '{path}' does not exist");
        }
    }
}
