using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Appliance.TestSupport;

namespace Appliance.Tests.Mqtt;

/// <summary>
/// A real Mosquitto broker on a free loopback port with a generated config in a temp directory; killed on dispose.
/// Install it with scripts/setup-mosquitto.sh.
/// </summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string UserName = "appliance";
    public const string Password = "s3cret-pass";

    private readonly TempDirectory _directory = new("mosquitto");
    private readonly StringBuilder _log = new();
    private readonly string _configFile;
    private Process? _process;

    private MosquittoBroker(bool tls, bool persistence = false)
    {
        Port = FreeLoopbackPort();
        var config = new StringBuilder()
            .AppendLine(FormattableString.Invariant($"listener {Port} 127.0.0.1"));
        if (persistence)
        {
            // Saved after every change, so even a SIGKILL finds sessions and queued messages on disk.
            config.AppendLine("persistence true")
                .AppendLine($"persistence_location {_directory.Path}/")
                .AppendLine("autosave_on_changes true")
                .AppendLine("autosave_interval 1");
        }
        else
        {
            config.AppendLine("persistence false");
        }

        config
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")

            // Without this, a broker started as root drops to the "mosquitto" user and cannot read our key files.
            .AppendLine($"user {Environment.UserName}");
        if (tls)
        {
            TlsMaterial.Create(_directory.Path);
            Run(FindTool("mosquitto_passwd"), "-b", "-c", _directory.Combine("passwords"), UserName, Password);
            AppendTlsListenerFiles(config);
            ClientCertificatePort = FreeLoopbackPort();
            config.AppendLine(FormattableString.Invariant($"listener {ClientCertificatePort} 127.0.0.1"))
                .AppendLine("require_certificate true");
            AppendTlsListenerFiles(config);
            config.AppendLine($"password_file {_directory.Combine("passwords")}")
                .AppendLine("allow_anonymous false");
        }
        else
        {
            config.AppendLine("allow_anonymous true");
        }

        _configFile = _directory.Combine("mosquitto.conf");
        File.WriteAllText(_configFile, config.ToString());
        Start();
    }

    public int Port { get; }

    /// <summary>TLS broker only: a second listener that requires a client certificate signed by the CA.</summary>
    public int ClientCertificatePort { get; }

    public string CaFile => _directory.Combine(TlsMaterial.CaCertificate);

    public string ClientCertificateFile => _directory.Combine(TlsMaterial.ClientCertificate);

    public string ClientKeyFile => _directory.Combine(TlsMaterial.ClientKey);

    /// <param name="persistence">Keep sessions and queued QoS 1 messages across restarts (Mosquitto's `persistence true`).</param>
    public static MosquittoBroker StartPlain(bool persistence = false) => new(tls: false, persistence);

    public static MosquittoBroker StartTls() => new(tls: true);

    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The broker is already running.");
        }

        var start = new ProcessStartInfo(FindTool("mosquitto"), ["-c", _configFile])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start.");
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        WaitUntilAccepting(process);
    }

    /// <summary>Kills the broker abruptly (no clean shutdown) and waits for the process to end.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            process.WaitForExit();
        }
    }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
        _directory.Dispose();
    }

    private void AppendTlsListenerFiles(StringBuilder config) =>
        config.AppendLine($"cafile {_directory.Combine(TlsMaterial.CaCertificate)}")
            .AppendLine($"certfile {_directory.Combine(TlsMaterial.ServerCertificate)}")
            .AppendLine($"keyfile {_directory.Combine(TlsMaterial.ServerKey)}");

    private void WaitUntilAccepting(Process process)
    {
        // Poll with a bounded number of connect attempts; each failed attempt backs off briefly.
        for (var attempt = 0; attempt < 250; attempt++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"mosquitto exited with code {process.ExitCode} before accepting connections:\n{Log}");
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(20);
            }
        }

        throw new InvalidOperationException($"mosquitto did not accept connections on port {Port} within 250 attempts:\n{Log}");
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    internal static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    internal static string FindTool(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/usr/bin", "/usr/local/sbin"]))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} is not installed; run scripts/setup-mosquitto.sh.");
    }

    internal static void Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}{output}");
        }
    }
}

/// <summary>A throwaway CA and a server certificate for localhost/127.0.0.1 signed by it, made with openssl.</summary>
internal static class TlsMaterial
{
    public const string CaCertificate = "ca.crt";
    public const string ServerCertificate = "server.crt";
    public const string ServerKey = "server.key";
    public const string ClientCertificate = "client.crt";
    public const string ClientKey = "client.key";

    public static void Create(string directory)
    {
        var openssl = MosquittoBroker.FindTool("openssl");
        string At(string name) => Path.Combine(directory, name);
        string[] ecKey = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
        MosquittoBroker.Run(openssl, ["req", "-x509", .. ecKey, "-keyout", At("ca.key"), "-out", At(CaCertificate), "-days", "2", "-subj", "/CN=Appliance Test CA"]);
        Issue(openssl, directory, "server", ServerKey, ServerCertificate, "/CN=localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1");
        Issue(openssl, directory, "client", ClientKey, ClientCertificate, "/CN=appliance-client", "extendedKeyUsage=clientAuth");
    }

    private static void Issue(string openssl, string directory, string name, string key, string certificate, string subject, string extension)
    {
        string At(string file) => Path.Combine(directory, file);
        MosquittoBroker.Run(openssl, ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", At(key), "-out", At($"{name}.csr"), "-subj", subject]);
        File.WriteAllText(At($"{name}.ext"), extension + "\n");
        MosquittoBroker.Run(openssl,
        [
            "x509", "-req", "-in", At($"{name}.csr"), "-CA", At(CaCertificate), "-CAkey", At("ca.key"), "-CAcreateserial",
            "-out", At(certificate), "-days", "2", "-extfile", At($"{name}.ext"),
        ]);
    }
}
