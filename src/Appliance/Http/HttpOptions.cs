using System.Globalization;

namespace Appliance.Http;

/// <summary>The HTTP API on Kestrel (configuration section <see cref="SectionName"/>).</summary>
public sealed class HttpOptions
{
    public const string SectionName = "Http";

    /// <summary>Ollama's port on loopback: clients made for Ollama find the box without changes, and nothing is on the LAN unless configured.</summary>
    public const string DefaultUrls = "http://127.0.0.1:11434";

    /// <summary>False: no HTTP API; Kestrel listens only where Telemetry:MetricsEndpoint asks, if anywhere.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where to listen, ';'-separated http://HOST:PORT (HOST an IP address, localhost, or * for every address; port 0 takes any free port).</summary>
    public string Urls { get; set; } = DefaultUrls;

    /// <summary>Bearer keys; when any is set, every request but GET /health must carry one. Empty: no authentication.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Largest request body; unset: Requests:MaxPayloadBytes, so a request is too large by the same rule over HTTP and MQTT.</summary>
    public long? MaxRequestBodyBytes { get; set; }

    public HttpCorsOptions Cors { get; set; } = new();

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (Enabled)
        {
            var addresses = Urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (addresses.Length == 0)
            {
                problems.Add($"{SectionName}:Urls is empty; set {SectionName}:Enabled=false to serve no HTTP API");
            }

            foreach (var url in addresses)
            {
                if (ListenAddress.FindProblem(url) is { } problem)
                {
                    problems.Add($"{SectionName}:Urls '{url}' {problem}");
                }
            }
        }

        for (var i = 0; i < ApiKeys.Count; i++)
        {
            // A key is compared with the header's token, which has no spaces or control characters.
            if (string.IsNullOrEmpty(ApiKeys[i]) || ApiKeys[i].Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:ApiKeys:{i} must be non-empty without spaces or control characters"));
            }
        }

        if (MaxRequestBodyBytes is < 64)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{SectionName}:MaxRequestBodyBytes must be ≥ 64, got {MaxRequestBodyBytes}"));
        }

        problems.AddRange(Cors.Validate());
        return problems;
    }

    /// <summary>The addresses of <see cref="Urls"/>; none when disabled. Call after <see cref="Validate"/> found nothing.</summary>
    public IReadOnlyList<ListenAddress> ParseUrls() =>
        Enabled ? [.. Urls.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(url => ListenAddress.Parse(url, metricsOnly: false))] : [];
}
