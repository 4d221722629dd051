using Appliance.Http;
using System.Net;

namespace Appliance.Tests.Http;

public sealed class HttpOptionsTests
{
    [Fact]
    public void Defaults_listen_on_ollama_s_port_on_loopback_with_no_keys_and_no_cors()
    {
        var options = new HttpOptions();

        Assert.Empty(options.Validate());
        Assert.Equal([new ListenAddress(IPAddress.Loopback, Localhost: false, 11434, MetricsOnly: false)], options.ParseUrls());
        Assert.Equal((true, null), (options.Enabled, options.MaxRequestBodyBytes));
        Assert.Empty(options.ApiKeys);
        Assert.Empty(options.Cors.AllowedOrigins);
    }

    [Theory]
    [InlineData("http://0.0.0.0:11434", "http://0.0.0.0:11434")]
    [InlineData("http://*:8080", "http://*:8080")]
    [InlineData("http://+:8080", "http://*:8080")]
    [InlineData("http://[::1]:0", "http://[::1]:0")]
    [InlineData("http://localhost:11434", "http://localhost:11434")]
    [InlineData(" http://127.0.0.1:1 ; http://[::]:2 ", "http://127.0.0.1:1;http://[::]:2")]
    public void Urls_may_be_addresses_localhost_or_every_address(string urls, string parsed)
    {
        var options = new HttpOptions { Urls = urls };

        Assert.Empty(options.Validate());
        Assert.Equal(parsed, string.Join(';', options.ParseUrls()));
        Assert.Equal(parsed.Contains("127.0.0.1", StringComparison.Ordinal) || parsed.Contains("[::1]", StringComparison.Ordinal) || parsed.Contains("localhost", StringComparison.Ordinal),
            options.ParseUrls()[0].IsLoopback);
    }

    [Theory]
    [InlineData("127.0.0.1:11434", "must be http://HOST:PORT, e.g. http://127.0.0.1:11434 or http://0.0.0.0:11434")]
    [InlineData("https://127.0.0.1:11434", "is https: the appliance serves plain http (put a TLS proxy in front for https)")]
    [InlineData("http://127.0.0.1", "must be http://HOST:PORT with the port and without a path, e.g. http://127.0.0.1:11434")]
    [InlineData("http://127.0.0.1:11434/api", "must be http://HOST:PORT with the port and without a path, e.g. http://127.0.0.1:11434")]
    [InlineData("http://box.lan:11434", "names a host; use an IP address, localhost or * (listening needs a local address)")]
    [InlineData("http://localhost:0", "uses port 0 with localhost; use 127.0.0.1 for any free port")]
    [InlineData("http://127.0.0.1:70000", "must be http://HOST:PORT, e.g. http://127.0.0.1:11434 or http://0.0.0.0:11434")]
    public void Invalid_urls_are_named_with_the_reason(string url, string reason)
    {
        var options = new HttpOptions { Urls = url };

        Assert.Equal([$"Http:Urls '{url}' {reason}"], options.Validate());
    }

    [Fact]
    public void Other_invalid_settings_are_each_named()
    {
        var options = new HttpOptions
        {
            Urls = " ; ",
            ApiKeys = ["good", "", "has space"],
            MaxRequestBodyBytes = 10,
            Cors = { AllowedOrigins = ["http://ui.lan:3000", "http://ui.lan/app", "ui.lan"] },
        };

        Assert.Equal(
            [
                "Http:Urls is empty; set Http:Enabled=false to serve no HTTP API",
                "Http:ApiKeys:1 must be non-empty without spaces or control characters",
                "Http:ApiKeys:2 must be non-empty without spaces or control characters",
                "Http:MaxRequestBodyBytes must be ≥ 64, got 10",
                "Http:Cors:AllowedOrigins 'http://ui.lan/app' must be * or SCHEME://HOST[:PORT] without a path",
                "Http:Cors:AllowedOrigins 'ui.lan' must be * or SCHEME://HOST[:PORT] without a path",
            ],
            options.Validate());
    }

    [Theory]
    [InlineData("http://127.0.0.1:1;http://localhost:2;http://[::1]:3", false, "0.0.0.0:9464", null)]
    [InlineData("http://127.0.0.1:1;http://192.168.1.5:2", false, "", "http://192.168.1.5:2")]
    [InlineData("http://*:2", false, "", "http://*:2")]
    [InlineData("http://*:2", true, "", null)]
    public void Listening_beyond_loopback_without_keys_is_flagged(string urls, bool keys, string metricsEndpoint, string? flagged)
    {
        List<ListenAddress> addresses = [.. new HttpOptions { Urls = urls }.ParseUrls()];
        if (metricsEndpoint.Length > 0)
        {
            addresses.Add(ListenAddress.Of(IPEndPoint.Parse(metricsEndpoint), metricsOnly: true));
        }

        var settings = new HttpServerSettings(addresses, keys ? ["k"] : [], 1024, []);

        Assert.Equal(flagged, settings.OpenWithoutKeys?.ToString());
    }

    [Fact]
    public void Disabled_the_urls_are_not_checked_and_nothing_is_listened_on()
    {
        var options = new HttpOptions { Enabled = false, Urls = "nonsense" };

        Assert.Empty(options.Validate());
        Assert.Empty(options.ParseUrls());
    }
}
