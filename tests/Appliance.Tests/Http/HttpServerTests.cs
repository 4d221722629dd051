using Appliance.Http;
using Appliance.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Appliance.Tests.Http;

public sealed class HttpServerTests
{
    [Fact]
    public async Task Health_answers_200_with_the_state_board_s_state()
    {
        await using var server = await HttpTestServer.StartAsync(HttpTestServer.Settings());
        server.Board.SetModel("tiny-llama", ServiceState.Ready);
        server.Board.SetProblem("panel", "no GPIO chip");
        using var client = server.Client();

        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"status":"ready","model":"tiny-llama","detail":null,"problems":{"panel":"no GPIO chip"}}""", body);
    }

    [Fact]
    public async Task With_api_keys_only_a_request_with_one_passes_and_health_needs_none()
    {
        await using var server = await HttpTestServer.StartAsync(HttpTestServer.Settings(apiKeys: ["key-one", "key-two"]));
        using var client = server.Client();

        var none = await SendAsync(client, HttpMethod.Get, "/metrics", authorization: null);
        var wrong = await SendAsync(client, HttpMethod.Get, "/metrics", "Bearer key-three");
        var prefix = await SendAsync(client, HttpMethod.Get, "/metrics", "Bearer key-on");
        var notBearer = await SendAsync(client, HttpMethod.Get, "/metrics", "Basic key-one");
        var right = await SendAsync(client, HttpMethod.Get, "/metrics", "Bearer key-two");
        var health = await SendAsync(client, HttpMethod.Get, "/health", authorization: null);
        var postHealth = await SendAsync(client, HttpMethod.Post, "/health", authorization: null);

        foreach (var refused in new[] { none, wrong, prefix, notBearer, postHealth })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
            using var error = JsonDocument.Parse(refused.Body);
            var detail = error.RootElement.GetProperty("error");
            Assert.Equal(("invalid_request_error", "invalid_api_key"), (detail.GetProperty("type").GetString(), detail.GetProperty("code").GetString()));
            Assert.StartsWith("This appliance needs an API key", detail.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, right.Status);
        Assert.Equal(HttpStatusCode.OK, health.Status);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_whether_announced_or_chunked()
    {
        await using var server = await HttpTestServer.StartAsync(
            HttpTestServer.Settings(),
            app => app.MapPost("/test/read", async context => await context.Response.WriteAsync((await new StreamReader(context.Request.Body).ReadToEndAsync()).Length.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        using var client = server.Client();

        using var announced = await client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), new ByteArrayContent(new byte[1025]));
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, new Uri("/test/read", UriKind.Relative)) { Content = new ByteArrayContent(new byte[4096]) };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(chunkedRequest);
        using var fits = await client.PostAsync(new Uri("/test/read", UriKind.Relative), new ByteArrayContent(new byte[1024]));

        foreach (var response in new[] { announced, chunked })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal("too_large", error.RootElement.GetProperty("error").GetProperty("code").GetString());
            Assert.Equal("The request body is larger than this appliance takes (1024 bytes, Http:MaxRequestBodyBytes).", error.RootElement.GetProperty("error").GetProperty("message").GetString());
        }

        Assert.Equal("1024", await fits.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_serve_the_prometheus_exposition_of_requests_and_sensors()
    {
        await using var server = await HttpTestServer.StartAsync(HttpTestServer.Settings());
        server.Metrics.RequestFinished("cancelled");
        using var client = server.Client();

        using var response = await client.GetAsync(new Uri("/metrics?name[]=up", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri("/metrics", UriKind.Relative)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("\nappliance_requests_total{outcome=\"cancelled\"} 1\n", body, StringComparison.Ordinal);
        Assert.Contains("\nappliance_thermal_zone_celsius{zone=\"x86_pkg_temp\"} 45\n", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.True(head.Content.Headers.ContentLength > 0);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_sensor_that_cannot_be_read_makes_metrics_a_500_and_the_next_scrape_works()
    {
        using var root = new Appliance.TestSupport.TempDirectory("http-sensor-root");
        foreach (var file in Directory.EnumerateFiles(HttpTestServer.X86Fixture, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root.Path, Path.GetRelativePath(HttpTestServer.X86Fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        await using var server = await HttpTestServer.StartAsync(HttpTestServer.Settings(), sensorRoot: root.Path);
        using var client = server.Client();
        var temp = root.Combine("sys", "class", "thermal", "thermal_zone1", "temp");

        await File.WriteAllTextAsync(temp, "garbage\n");
        var failed = await SendAsync(client, HttpMethod.Get, "/metrics", authorization: null);
        await File.WriteAllTextAsync(temp, "50000\n");
        var next = await SendAsync(client, HttpMethod.Get, "/metrics", authorization: null);

        Assert.Equal((HttpStatusCode.InternalServerError, $"cannot read the metrics: {temp}: expected an integer, found \"garbage\".\n"), failed);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task The_metrics_listener_answers_metrics_without_a_key_and_nothing_else()
    {
        await using var server = await HttpTestServer.StartAsync(HttpTestServer.Settings(
            apiKeys: ["secret"],
            addresses: [ListenAddress.Parse("http://127.0.0.1:0", metricsOnly: false), ListenAddress.Of(new IPEndPoint(IPAddress.Loopback, 0), metricsOnly: true)]));
        server.Metrics.RequestFinished("done");
        using var api = server.Client(0);
        using var metricsOnly = server.Client(1);

        var scraped = await SendAsync(metricsOnly, HttpMethod.Get, "/metrics", authorization: null);
        var health = await SendAsync(metricsOnly, HttpMethod.Get, "/health", authorization: null);
        var post = await SendAsync(metricsOnly, HttpMethod.Post, "/metrics", authorization: null);
        var apiScrape = await SendAsync(api, HttpMethod.Get, "/metrics", authorization: null);

        Assert.Equal(HttpStatusCode.OK, scraped.Status);
        Assert.Contains("appliance_requests_total", scraped.Body, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (health.Status, post.Status));
        Assert.Contains("\"code\":\"not_found\"", health.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, apiScrape.Status);
    }

    [Fact]
    public async Task An_unknown_path_is_404_in_the_error_shape()
    {
        await using var server = await HttpTestServer.StartAsync(HttpTestServer.Settings());
        using var client = server.Client();

        var response = await SendAsync(client, HttpMethod.Get, "/v1/nothing", authorization: null);

        Assert.Equal(HttpStatusCode.NotFound, response.Status);
        Assert.Equal("""{"error":{"message":"No such endpoint: GET /v1/nothing","type":"invalid_request_error","param":null,"code":"not_found"}}""", response.Body);
    }

    [Fact]
    public async Task Cors_answers_allowed_origins_only_when_origins_are_configured()
    {
        await using var open = await HttpTestServer.StartAsync(HttpTestServer.Settings(apiKeys: ["secret"], corsOrigins: ["http://ui.lan:3000"]));
        await using var closed = await HttpTestServer.StartAsync(HttpTestServer.Settings());

        using var preflight = await PreflightAsync(open, "http://ui.lan:3000");
        using var stranger = await PreflightAsync(open, "http://evil.example");
        using var off = await PreflightAsync(closed, "http://ui.lan:3000");

        Assert.Equal(HttpStatusCode.NoContent, preflight.StatusCode);
        Assert.Equal(["http://ui.lan:3000"], preflight.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(off.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Without_addresses_nothing_listens()
    {
        var port = FreePort();
        var options = new Appliance.Hosting.ApplianceOptions
        {
            Http = { Enabled = false, Urls = $"http://127.0.0.1:{port}" },
        };
        var settings = Appliance.Hosting.ApplianceHost.HttpSettings(options);

        await using var server = await HttpTestServer.StartAsync(settings);
        using var client = new TcpClient();

        Assert.Empty(settings.Addresses);
        Assert.Empty(server.Addresses);
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, port));
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? authorization)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpTestServer server, string origin)
    {
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri("/v1/chat/completions", UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return await client.SendAsync(request);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
