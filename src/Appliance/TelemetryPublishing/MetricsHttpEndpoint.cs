using Appliance.Telemetry.Export;
using Microsoft.Extensions.Logging;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.TelemetryPublishing;

/// <summary>
/// A minimal HTTP/1.1 responder for Prometheus scrapes: GET or HEAD /metrics answers the exposition
/// <paramref name="render"/> returns; any other path is 404, any other method 405. One connection at a time, each
/// closed after its response and given <see cref="ClientTimeout"/> to send its request, which is plenty for a scraper
/// on loopback and keeps a stuck client from holding the endpoint. AOT-safe: a TcpListener, no ASP.NET Core.
/// </summary>
public sealed partial class MetricsHttpEndpoint : IAsyncDisposable
{
    public const string Path = "/metrics";

    private const int MaxRequestHeadBytes = 8192;
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly Func<string> _render;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;

    public MetricsHttpEndpoint(IPEndPoint bind, Func<string> render, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(bind);
        ArgumentNullException.ThrowIfNull(render);
        ArgumentNullException.ThrowIfNull(logger);
        _listener = new TcpListener(bind);
        _render = render;
        _logger = logger;
    }

    /// <summary>Where it listens (with the real port when bound to port 0); valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Binds (throwing SocketException when the address is taken) and starts answering.</summary>
    public void Start()
    {
        _listener.Start();
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || (ex is SocketException && stopping.IsCancellationRequested))
            {
                return;
            }

            using (client)
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping))
            {
                timeout.CancelAfter(ClientTimeout);
                try
                {
                    await AnswerAsync(client.GetStream(), timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
                {
                    // A client that hung up or took too long loses its answer; the endpoint carries on.
                    LogClientFailed(_logger, ex.Message);
                }
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = await ReadRequestHeadAsync(stream, cancellationToken).ConfigureAwait(false);
        var (status, body, headOnly) = Respond(head);
        var bodyBytes = Encoding.UTF8.GetBytes(body);
        var contentType = status == 200 ? PrometheusText.ContentType : "text/plain; charset=utf-8";
        var allow = status == 405 ? "Allow: GET, HEAD\r\n" : string.Empty;
        var header = $"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: {contentType}\r\nContent-Length: {bodyBytes.Length}\r\n{allow}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header), cancellationToken).ConfigureAwait(false);
        if (!headOnly)
        {
            await stream.WriteAsync(bodyBytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private (int Status, string Body, bool HeadOnly) Respond(string? head)
    {
        // Request line: METHOD SP request-target SP HTTP-version.
        var requestLine = head?[..head.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
        if (requestLine is not [var method, var target, var version] || !version.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return (400, "bad request\n", false);
        }

        var path = target.Split('?', 2)[0];
        if (path != Path)
        {
            return (404, $"not found: only {Path} is served\n", method == "HEAD");
        }

        if (method is not ("GET" or "HEAD"))
        {
            return (405, "method not allowed\n", false);
        }

        try
        {
            return (200, _render(), method == "HEAD");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or InvalidOperationException)
        {
            LogRenderFailed(_logger, ex.Message);
            return (500, $"cannot read the metrics: {ex.Message}\n", method == "HEAD");
        }
    }

    /// <summary>Reads up to the blank line ending the request head; null when it is too long or the client hangs up first.</summary>
    private static async Task<string?> ReadRequestHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return Encoding.ASCII.GetString(buffer, 0, end + 2);
            }
        }

        return null;
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "metrics endpoint: a client failed: {Reason}")]
    private static partial void LogClientFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "metrics endpoint: cannot render the metrics: {Reason}")]
    private static partial void LogRenderFailed(ILogger logger, string reason);
}
