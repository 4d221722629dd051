using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Appliance.Http;

/// <summary>
/// One address Kestrel listens on: an IP address, or null for every address, or localhost (both loopbacks).
/// <see cref="MetricsOnly"/> marks Telemetry:MetricsEndpoint's listener, which answers GET /metrics alone, without a key.
/// </summary>
public sealed record ListenAddress(IPAddress? Address, bool Localhost, int Port, bool MetricsOnly)
{
    /// <summary>Whether only this machine can connect (localhost or a loopback address).</summary>
    public bool IsLoopback => Localhost || (Address is not null && IPAddress.IsLoopback(Address));

    /// <summary>Why <paramref name="url"/> is no http://HOST:PORT Kestrel can listen on, or null when it is one.</summary>
    public static string? FindProblem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var parsed = WithoutWildcard(url, out _);
        if (!Uri.TryCreate(parsed, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp)
        {
            return url.StartsWith("https:", StringComparison.OrdinalIgnoreCase)
                ? "is https: the appliance serves plain http (put a TLS proxy in front for https)"
                : "must be http://HOST:PORT, e.g. http://127.0.0.1:11434 or http://0.0.0.0:11434";
        }

        if (!HasExplicitPort(parsed) || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            return "must be http://HOST:PORT with the port and without a path, e.g. http://127.0.0.1:11434";
        }

        if (uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !uri.IsLoopback)
        {
            return "names a host; use an IP address, localhost or * (listening needs a local address)";
        }

        return uri.IsLoopback && uri.HostNameType == UriHostNameType.Dns && uri.Port == 0
            ? "uses port 0 with localhost; use 127.0.0.1 for any free port"
            : null;
    }

    /// <summary>The address <paramref name="url"/> names; <see cref="FindProblem"/> must have found nothing.</summary>
    public static ListenAddress Parse(string url, bool metricsOnly)
    {
        if (FindProblem(url) is { } problem)
        {
            throw new FormatException($"'{url}' {problem}");
        }

        var uri = new Uri(WithoutWildcard(url, out var wildcard));
        return uri.HostNameType == UriHostNameType.Dns
            ? new ListenAddress(null, Localhost: true, uri.Port, metricsOnly)
            : new ListenAddress(wildcard ? null : IPAddress.Parse(uri.Host), Localhost: false, uri.Port, metricsOnly);
    }

    /// <summary>An IP:port listener, as Telemetry:MetricsEndpoint names one.</summary>
    public static ListenAddress Of(IPEndPoint endpoint, bool metricsOnly)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new ListenAddress(endpoint.Address, Localhost: false, endpoint.Port, metricsOnly);
    }

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"http://{(Localhost ? "localhost" : Address is null ? "*" : Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}");

    /// <summary>"*" and "+" (every address, as ASP.NET spells it) as 0.0.0.0, which Uri can parse.</summary>
    private static string WithoutWildcard(string url, out bool wildcard)
    {
        wildcard = url.StartsWith("http://*:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://+:", StringComparison.OrdinalIgnoreCase);
        return wildcard ? "http://0.0.0.0:" + url["http://*:".Length..] : url;
    }

    /// <summary>Whether the authority of <paramref name="url"/> ends in ":digits" (Uri reports 80 for a missing port).</summary>
    private static bool HasExplicitPort(string url)
    {
        var authorityStart = url.IndexOf("//", StringComparison.Ordinal) + 2;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        var authority = authorityEnd < 0 ? url[authorityStart..] : url[authorityStart..authorityEnd];
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') && colon < authority.Length - 1 && authority[(colon + 1)..].All(char.IsAsciiDigit);
    }
}
