using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Appliance.Mqtt;

/// <summary>Opens the byte stream to the broker: TCP, optionally wrapped in TLS with a private CA and client certificate.</summary>
internal static class MqttTransport
{
    public static async Task<Stream> OpenAsync(MqttClientOptions options, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, cancellation).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new MqttClientException($"Cannot reach MQTT broker {options.Host}:{options.Port}: {e.Message}", innerException: e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var stream = new NetworkStream(socket, ownsSocket: true);
        if (options.Tls is not { } tls)
        {
            return stream;
        }

        try
        {
            return await AuthenticateAsync(stream, options.Host, options.Port, tls, cancellation).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async Task<Stream> AuthenticateAsync(Stream inner, string host, int port, MqttTlsOptions tls, CancellationToken cancellation)
    {
        var serverName = tls.ServerName ?? host;
        var observedErrors = SslPolicyErrors.None;
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, _, _, errors) =>
            {
                observedErrors = tls.CheckServerName ? errors : errors & ~SslPolicyErrors.RemoteCertificateNameMismatch;
                return observedErrors == SslPolicyErrors.None;
            },
        };

        if (tls.CaFile is { } caFile)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(LoadCertificates(caFile, "Tls.CaFile"));
            authentication.CertificateChainPolicy = policy;
        }

        if (tls.ClientCertificateFile is { } certificateFile && tls.ClientKeyFile is { } keyFile)
        {
            authentication.ClientCertificates = [LoadClientCertificate(certificateFile, keyFile)];
        }

        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(authentication, cancellation).ConfigureAwait(false);
            return ssl;
        }
        catch (AuthenticationException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            var detail = observedErrors == SslPolicyErrors.None ? e.Message : $"the broker's certificate failed validation ({observedErrors}) for server name '{serverName}'";
            throw new MqttClientException($"TLS handshake with MQTT broker {host}:{port} failed: {detail}", innerException: e);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static X509Certificate2Collection LoadCertificates(string path, string option)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new MqttClientException($"{option} '{path}' cannot be read as PEM certificates: {e.Message}", innerException: e);
        }

        if (certificates.Count == 0)
        {
            throw new MqttClientException($"{option} '{path}' holds no PEM certificate.");
        }

        return certificates;
    }

    private static X509Certificate2 LoadClientCertificate(string certificateFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new MqttClientException(
                $"Tls.ClientCertificateFile '{certificateFile}' with Tls.ClientKeyFile '{keyFile}' cannot be loaded: {e.Message}",
                innerException: e);
        }
    }
}
