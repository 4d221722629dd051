namespace Appliance.Mqtt;

/// <summary>TLS settings; PEM files. Without a CA file the system trust store decides.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>PEM file with the CA certificate(s) that must sign the broker's certificate.</summary>
    public string? CaFile { get; set; }

    /// <summary>PEM client certificate, for brokers that require one; needs <see cref="ClientKeyFile"/>.</summary>
    public string? ClientCertificateFile { get; set; }

    /// <summary>PEM private key of the client certificate.</summary>
    public string? ClientKeyFile { get; set; }

    /// <summary>The name the broker's certificate must carry; defaults to the host connected to.</summary>
    public string? ServerName { get; set; }

    /// <summary>Whether the certificate must match the server name; turn off only for lab setups.</summary>
    public bool CheckServerName { get; set; } = true;
}
