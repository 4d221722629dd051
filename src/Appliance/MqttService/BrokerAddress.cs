namespace Appliance.MqttService;

/// <summary>A broker URL taken apart: mqtt://host[:port] or mqtts://host[:port].</summary>
public sealed record BrokerAddress(string Host, int Port, bool UseTls)
{
    public const int DefaultPort = 1883;
    public const int DefaultTlsPort = 8883;

    public static BrokerAddress Parse(string url) =>
        TryParse(url, out var address, out var problem) ? address : throw new ArgumentException($"Broker URL {problem}", nameof(url));

    /// <summary>False with a reason ("must …, got '…'") when <paramref name="url"/> is not a broker URL.</summary>
    public static bool TryParse(string? url, out BrokerAddress address, out string problem)
    {
        address = new BrokerAddress("", 0, false);
        problem = "";
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            problem = $"must be mqtt://host[:port] or mqtts://host[:port], got '{url}'";
            return false;
        }

        var useTls = uri.Scheme.Equals("mqtts", StringComparison.OrdinalIgnoreCase);
        if (!useTls && !uri.Scheme.Equals("mqtt", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"must use the mqtt:// or mqtts:// scheme, got '{url}'";
            return false;
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0 || uri.UserInfo.Length > 0 || uri.Host.Length == 0)
        {
            problem = $"must be only a scheme, a host and an optional port (credentials go in Username/Password), got '{url}'";
            return false;
        }

        var port = uri.IsDefaultPort || uri.Port < 0 ? (useTls ? DefaultTlsPort : DefaultPort) : uri.Port;
        address = new BrokerAddress(uri.IdnHost, port, useTls);
        return true;
    }
}
