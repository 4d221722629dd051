namespace Appliance.Http;

/// <summary>Cross-origin access for browser clients (section Http:Cors); off while no origin is listed.</summary>
public sealed class HttpCorsOptions
{
    /// <summary>Origins ("http://192.168.1.20:3000") whose pages may call the API; "*" lets any page.</summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        foreach (var origin in AllowedOrigins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && uri.Query.Length == 0 && !origin.EndsWith('/')))
            {
                yield return $"{HttpOptions.SectionName}:Cors:AllowedOrigins '{origin}' must be * or SCHEME://HOST[:PORT] without a path";
            }
        }
    }
}
