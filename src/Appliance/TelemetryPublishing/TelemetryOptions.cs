using System.Globalization;
using System.Net;

namespace Appliance.TelemetryPublishing;

/// <summary>Telemetry publishing and the Prometheus endpoint (configuration section <see cref="SectionName"/>).</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Telemetry";

    private const double MaximumIntervalSeconds = 86400;

    /// <summary>Seconds between two payloads on &lt;base&gt;/telemetry.</summary>
    public double IntervalSeconds { get; set; } = 30;

    /// <summary>
    /// A listener of its own for Prometheus' GET /metrics, as IP:port ("127.0.0.1:9464", "[::1]:9464"); empty = none.
    /// The HTTP server adds it to its listeners; it answers /metrics alone, without an API key (the HTTP API's own
    /// listeners serve /metrics too, with a key when keys are set). Port 0 takes any free port. Only loopback
    /// addresses unless <see cref="AllowRemoteMetrics"/>.
    /// </summary>
    public string MetricsEndpoint { get; set; } = "";

    /// <summary>Lets <see cref="MetricsEndpoint"/> bind a non-loopback address (the endpoint has no authentication).</summary>
    public bool AllowRemoteMetrics { get; set; }

    /// <summary>The directory holding proc/ and sys/ the sensors read ("/" on the machine itself).</summary>
    public string SensorRoot { get; set; } = "/";

    public TimeSpan Interval => TimeSpan.FromSeconds(IntervalSeconds);

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (!(IntervalSeconds >= 1 && IntervalSeconds <= MaximumIntervalSeconds))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:IntervalSeconds must be between 1 and {MaximumIntervalSeconds}, got {IntervalSeconds}"));
        }

        if (MetricsEndpoint.Length > 0)
        {
            if (!TryParseEndpoint(MetricsEndpoint, out var endpoint))
            {
                problems.Add($"{SectionName}:MetricsEndpoint '{MetricsEndpoint}' must be IP:port, e.g. 127.0.0.1:9464 or [::1]:9464");
            }
            else if (!IPAddress.IsLoopback(endpoint.Address) && !AllowRemoteMetrics)
            {
                problems.Add($"{SectionName}:MetricsEndpoint '{MetricsEndpoint}' is not a loopback address; /metrics has no authentication, so set {SectionName}:AllowRemoteMetrics=true to serve it there");
            }
        }

        if (string.IsNullOrWhiteSpace(SensorRoot) || !Directory.Exists(Path.Combine(SensorRoot, "proc")))
        {
            problems.Add($"{SectionName}:SensorRoot '{SensorRoot}' has no proc directory");
        }

        return problems;
    }

    /// <summary>The endpoint to bind, or null when /metrics is not served. Call after <see cref="Validate"/> found nothing.</summary>
    public IPEndPoint? ParseMetricsEndpoint() =>
        MetricsEndpoint.Length == 0 ? null
        : TryParseEndpoint(MetricsEndpoint, out var endpoint) ? endpoint
        : throw new FormatException($"{SectionName}:MetricsEndpoint '{MetricsEndpoint}' is not IP:port.");

    /// <summary>IP:port with the port spelled out (an IPv6 address in brackets), unlike IPEndPoint.TryParse, which defaults it.</summary>
    private static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = null!;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1 || !text[(colon + 1)..].All(char.IsAsciiDigit))
        {
            return false;
        }

        var host = text[..colon];
        if (host.Contains(':', StringComparison.Ordinal) && !(host.StartsWith('[') && host.EndsWith(']')))
        {
            return false;
        }

        if (!IPEndPoint.TryParse(text, out var parsed))
        {
            return false;
        }

        endpoint = parsed;
        return true;
    }
}
