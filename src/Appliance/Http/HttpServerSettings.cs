namespace Appliance.Http;

/// <summary>What the HTTP server is built from, resolved from the options of every part it serves.</summary>
/// <param name="Addresses">Where Kestrel listens; none: it does not run at all.</param>
/// <param name="MaxRequestBodyBytes">Http:MaxRequestBodyBytes, or Requests:MaxPayloadBytes when that is unset.</param>
public sealed record HttpServerSettings(
    IReadOnlyList<ListenAddress> Addresses,
    IReadOnlyList<string> ApiKeys,
    long MaxRequestBodyBytes,
    IReadOnlyList<string> CorsOrigins);
