namespace Appliance.Http;

/// <summary>What the HTTP server is built from, resolved from the options of every part it serves.</summary>
/// <param name="Addresses">Where Kestrel listens; none: it does not run at all.</param>
/// <param name="MaxRequestBodyBytes">Http:MaxRequestBodyBytes, or Requests:MaxPayloadBytes when that is unset.</param>
public sealed record HttpServerSettings(
    IReadOnlyList<ListenAddress> Addresses,
    IReadOnlyList<string> ApiKeys,
    long MaxRequestBodyBytes,
    IReadOnlyList<string> CorsOrigins)
{
    /// <summary>The first API listener beyond loopback while there are no keys (anyone who reaches it can use the model), or null.</summary>
    public ListenAddress? OpenWithoutKeys => ApiKeys.Count > 0 ? null : Addresses.FirstOrDefault(address => !address.MetricsOnly && !address.IsLoopback);
}
