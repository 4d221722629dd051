using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Appliance.HomeAssistant;

/// <summary>
/// One entity's discovery payload, with the keys of Home Assistant's MQTT sensor, text and event schemas
/// (home-assistant.io/integrations/sensor.mqtt, text.mqtt, event.mqtt). Unset keys are left out.
/// </summary>
internal sealed record DiscoveryConfig
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("unique_id")]
    public required string UniqueId { get; init; }

    [JsonPropertyName("device")]
    public required DiscoveryDevice Device { get; init; }

    [JsonPropertyName("origin")]
    public required DiscoveryOrigin Origin { get; init; }

    [JsonPropertyName("availability")]
    public required IReadOnlyList<DiscoveryAvailability> Availability { get; init; }

    [JsonPropertyName("state_topic")]
    public string? StateTopic { get; init; }

    [JsonPropertyName("value_template")]
    public string? ValueTemplate { get; init; }

    [JsonPropertyName("json_attributes_topic")]
    public string? JsonAttributesTopic { get; init; }

    [JsonPropertyName("json_attributes_template")]
    public string? JsonAttributesTemplate { get; init; }

    [JsonPropertyName("command_topic")]
    public string? CommandTopic { get; init; }

    [JsonPropertyName("unit_of_measurement")]
    public string? UnitOfMeasurement { get; init; }

    [JsonPropertyName("device_class")]
    public string? DeviceClass { get; init; }

    [JsonPropertyName("state_class")]
    public string? StateClass { get; init; }

    [JsonPropertyName("entity_category")]
    public string? EntityCategory { get; init; }

    [JsonPropertyName("icon")]
    public string? Icon { get; init; }

    [JsonPropertyName("suggested_display_precision")]
    public int? SuggestedDisplayPrecision { get; init; }

    [JsonPropertyName("min")]
    public int? Min { get; init; }

    [JsonPropertyName("max")]
    public int? Max { get; init; }

    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    [JsonPropertyName("event_types")]
    public IReadOnlyList<string>? EventTypes { get; init; }

    [JsonPropertyName("qos")]
    public int Qos { get; init; } = 1;
}

/// <summary>The device block: ties every entity to one device in Home Assistant's device registry.</summary>
internal sealed record DiscoveryDevice(
    [property: JsonPropertyName("identifiers")] IReadOnlyList<string> Identifiers,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("sw_version")] string SwVersion,
    [property: JsonPropertyName("manufacturer")] string Manufacturer);

/// <summary>Which software published the discovery message (Home Assistant logs it).</summary>
internal sealed record DiscoveryOrigin(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("sw_version")] string SwVersion);

/// <summary>An availability topic whose template renders "online" or "offline" (the default payloads).</summary>
internal sealed record DiscoveryAvailability(
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("value_template")] string ValueTemplate);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DiscoveryConfig))]
internal sealed partial class DiscoveryJsonContext : JsonSerializerContext
{
    /// <summary>Keeps the templates readable: quotes and apostrophes are not turned into \u escapes.</summary>
    public static DiscoveryJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
