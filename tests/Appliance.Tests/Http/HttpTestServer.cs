using Appliance.Http;
using Appliance.State;
using Appliance.Telemetry.Metrics;
using Appliance.TelemetryPublishing;
using Appliance.Tests.State;
using Appliance.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Appliance.Tests.Http;

/// <summary>
/// The appliance's HTTP server (<see cref="HttpServer"/>) on real Kestrel, with the state board and telemetry it
/// serves, without the engine and the broker; addresses on port 0 get a free port, read back from the server.
/// </summary>
internal sealed class HttpTestServer : IAsyncDisposable
{
    public static readonly string X86Fixture = RepoPaths.Combine("tests", "Telemetry.Tests", "Fixtures", "x86");

    private readonly WebApplication _app;
    private readonly TelemetryService _telemetry;

    private HttpTestServer(WebApplication app, TelemetryService telemetry, ServiceStatusBoard board, ApplianceMetrics metrics)
    {
        _app = app;
        _telemetry = telemetry;
        Board = board;
        Metrics = metrics;
    }

    public ServiceStatusBoard Board { get; }

    public ApplianceMetrics Metrics { get; }

    public IServer Server => _app.Services.GetRequiredService<IServer>();

    /// <summary>The bound addresses, in the order of <see cref="HttpServerSettings.Addresses"/>.</summary>
    public IReadOnlyList<Uri> Addresses => [.. (Server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []).Select(address => new Uri(address))];

    /// <summary>Loopback on a free port, no keys, a 1024-byte body limit, no CORS, unless given.</summary>
    public static HttpServerSettings Settings(IReadOnlyList<string>? apiKeys = null, IReadOnlyList<ListenAddress>? addresses = null, IReadOnlyList<string>? corsOrigins = null) =>
        new(addresses ?? [ListenAddress.Parse("http://127.0.0.1:0", metricsOnly: false)], apiKeys ?? [], 1024, corsOrigins ?? []);

    /// <param name="extraRoutes">Routes a test adds beside the appliance's own (e.g. one that reads the body).</param>
    /// <param name="sensorRoot">Where telemetry reads proc/ and sys/ (default: the x86 fixture).</param>
    public static async Task<HttpTestServer> StartAsync(HttpServerSettings settings, Action<WebApplication>? extraRoutes = null, string? sensorRoot = null)
    {
        var board = new ServiceStatusBoard();
        var metrics = new ApplianceMetrics();
        var telemetry = new TelemetryService(
            new TelemetryOptions { IntervalSeconds = 10, SensorRoot = sensorRoot ?? X86Fixture }, metrics, new FakeApplianceMessenger(), NullLogger<TelemetryService>.Instance, new ManualTimeProvider());
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "appliance-tests" });
        builder.Services.AddSingleton(board);
        builder.Services.AddSingleton(telemetry);
        HttpServer.Add(builder, settings);
        var app = builder.Build();
        HttpServer.Use(app, settings, _ => { });
        extraRoutes?.Invoke(app);
        await app.StartAsync();
        return new HttpTestServer(app, telemetry, board, metrics);
    }

    public HttpClient Client(int address = 0) => new() { BaseAddress = Addresses[address], Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _telemetry.Dispose();
        Metrics.Dispose();
    }
}
