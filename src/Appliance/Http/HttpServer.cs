using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Appliance.Http;

/// <summary>
/// Puts the HTTP API into the appliance's host: Kestrel on <see cref="HttpServerSettings.Addresses"/> (or no server at
/// all), then the middleware (metrics-only listener, CORS, API keys, body limit) and <see cref="HttpEndpoints"/>.
/// </summary>
public static partial class HttpServer
{
    /// <summary>Registers the server; call before building the host.</summary>
    public static void Add(WebApplicationBuilder builder, HttpServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Services.AddRoutingCore();

        // One line per request at Information would flood the journal; warnings and errors (a port taken) still show.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        if (settings.Addresses.Count == 0)
        {
            builder.Services.AddSingleton<IServer, NoListeningServer>();
            return;
        }

        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBodyBytes;
            foreach (var address in settings.Addresses)
            {
                Listen(kestrel, address);
            }
        });
        if (settings.CorsOrigins.Count > 0)
        {
            builder.Services.AddCors();
        }
    }

    /// <summary>Adds the middleware and maps the routes (<paramref name="mapApis"/> the API families'); call on the built host.</summary>
    public static void Use(WebApplication app, HttpServerSettings settings, Action<IEndpointRouteBuilder> mapApis)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.OpenWithoutKeys is { } open)
        {
            LogOpenWithoutKeys(app.Logger, open.ToString());
        }

        app.Use(MetricsOnlyConnections.Middleware(PrometheusEndpoint.HandleAsync));
        if (settings.CorsOrigins.Count > 0)
        {
            // Before the key check: a browser's preflight carries no Authorization header.
            app.UseCors(policy => (settings.CorsOrigins.Contains("*") ? policy.AllowAnyOrigin() : policy.WithOrigins([.. settings.CorsOrigins]))
                .AllowAnyHeader()
                .AllowAnyMethod());
        }

        if (settings.ApiKeys.Count > 0)
        {
            app.Use(next => new ApiKeyMiddleware(next, settings.ApiKeys).InvokeAsync);
        }

        app.Use(next => new BodySizeLimitMiddleware(next, settings.MaxRequestBodyBytes).InvokeAsync);
        HttpEndpoints.Map(app, mapApis);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "http: listening on {Address} beyond loopback without API keys: anyone who reaches it can use the model (set Http:ApiKeys)")]
    private static partial void LogOpenWithoutKeys(ILogger logger, string address);

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address)
    {
        Action<ListenOptions> configure = address.MetricsOnly ? listen => listen.Use(MetricsOnlyConnections.Mark) : _ => { };
        if (address.Localhost)
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (address.Address is null)
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
        else
        {
            kestrel.Listen(address.Address, address.Port, configure);
        }
    }
}
