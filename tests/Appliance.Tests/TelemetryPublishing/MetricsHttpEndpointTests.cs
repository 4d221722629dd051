using Appliance.TelemetryPublishing;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Tests.TelemetryPublishing;

public sealed class MetricsHttpEndpointTests
{
    private const string Exposition = "# HELP up Whether it is up\n# TYPE up gauge\nup 1\n";
    private static readonly int ExpositionBytes = System.Text.Encoding.UTF8.GetByteCount(Exposition);

    [Fact]
    public async Task Get_metrics_answers_the_exposition_with_the_prometheus_content_type()
    {
        await using var endpoint = Started(() => Exposition);

        var response = await HttpExchange.GetAsync(endpoint.LocalEndpoint, "/metrics?name[]=up");

        Assert.Equal(
            $"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {ExpositionBytes}\r\nConnection: close\r\n\r\n" + Exposition,
            response);
    }

    [Fact]
    public async Task Head_answers_the_headers_only_and_a_real_http_client_reads_get()
    {
        await using var endpoint = Started(() => Exposition);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var head = await HttpExchange.GetAsync(endpoint.LocalEndpoint, "/metrics", "HEAD");
        var body = await http.GetStringAsync(new Uri($"http://{endpoint.LocalEndpoint}/metrics"));

        Assert.EndsWith($"Content-Length: {ExpositionBytes}\r\nConnection: close\r\n\r\n", head, StringComparison.Ordinal);
        Assert.Equal(Exposition, body);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found")]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n", "HTTP/1.1 405 Method Not Allowed")]
    [InlineData("GET /metrics\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    [InlineData("hello\r\n\r\n", "HTTP/1.1 400 Bad Request")]
    public async Task Other_paths_methods_and_garbage_get_their_status(string request, string statusLine)
    {
        await using var endpoint = Started(() => Exposition);

        var response = await HttpExchange.SendAsync(endpoint.LocalEndpoint, request);

        Assert.StartsWith(statusLine + "\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_render_is_a_500_and_the_endpoint_keeps_answering()
    {
        var fail = true;
        await using var endpoint = Started(() => fail ? throw new InvalidDataException("/sys/x/temp: expected an integer") : Exposition);

        var failed = await HttpExchange.GetAsync(endpoint.LocalEndpoint, "/metrics");
        fail = false;
        var next = await HttpExchange.GetAsync(endpoint.LocalEndpoint, "/metrics");

        Assert.StartsWith("HTTP/1.1 500 Internal Server Error\r\n", failed, StringComparison.Ordinal);
        Assert.EndsWith("cannot read the metrics: /sys/x/temp: expected an integer\n", failed, StringComparison.Ordinal);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", next, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_hangs_up_without_a_request_does_not_stop_the_next_one()
    {
        await using var endpoint = Started(() => Exposition);
        using (var rude = new TcpClient())
        {
            await rude.ConnectAsync(endpoint.LocalEndpoint);
        }

        var response = await HttpExchange.GetAsync(endpoint.LocalEndpoint, "/metrics");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_closes_the_port()
    {
        var endpoint = Started(() => Exposition);
        var bound = endpoint.LocalEndpoint;

        await endpoint.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(bound));
    }

    private static MetricsHttpEndpoint Started(Func<string> render)
    {
        var endpoint = new MetricsHttpEndpoint(new IPEndPoint(IPAddress.Loopback, 0), render, NullLogger.Instance);
        endpoint.Start();
        return endpoint;
    }
}
