namespace Appliance.HomeAssistant;

/// <summary>Home Assistant MQTT discovery (configuration section <see cref="SectionName"/>).</summary>
public sealed class DiscoveryOptions
{
    public const string SectionName = "HomeAssistant";

    public bool Enabled { get; set; } = true;

    /// <summary>Home Assistant's discovery prefix (its MQTT integration's setting; "homeassistant" unless changed there).</summary>
    public string Prefix { get; set; } = "homeassistant";

    /// <summary>One message per problem, naming the option by its configuration path.</summary>
    public IEnumerable<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Prefix) || Prefix.AsSpan().IndexOfAny("#+\0") >= 0 || Prefix.StartsWith('/') || Prefix.EndsWith('/'))
        {
            problems.Add($"{SectionName}:Prefix must be a topic prefix without wildcards or leading/trailing '/', got '{Prefix}'");
        }

        return problems;
    }
}
