using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Appliance.Tests.TelemetryPublishing;

/// <summary>Sends one raw HTTP request over a real socket and reads the whole answer (the server closes the connection).</summary>
internal static class HttpExchange
{
    public static async Task<string> SendAsync(IPEndPoint endpoint, string request)
    {
        using var client = new TcpClient(endpoint.AddressFamily);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(endpoint, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    public static Task<string> GetAsync(IPEndPoint endpoint, string path, string method = "GET") =>
        SendAsync(endpoint, $"{method} {path} HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test\r\n\r\n");
}
