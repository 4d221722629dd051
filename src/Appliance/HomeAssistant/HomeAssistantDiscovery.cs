using Appliance.Contract;
using System.Text.Json;

namespace Appliance.HomeAssistant;

/// <summary>
/// The MQTT discovery messages that make the box one Home Assistant device: sensors for its state, the last answer,
/// tokens/s, queue length, memory, CPU and temperature (the last five read `&lt;base&gt;/telemetry`), a text entity
/// whose value is asked as a prompt, and, with a panel, an event entity for its buttons. Every entity is available
/// while the status topic says anything but offline.
/// </summary>
public sealed class HomeAssistantDiscovery
{
    /// <summary>Home Assistant keeps at most this many characters of a state.</summary>
    public const int StateLengthLimit = 255;

    public const string Manufacturer = "Edge LLM Appliance";

    private readonly DiscoveryOptions _options;
    private readonly ApplianceTopics _topics;
    private readonly string _version;

    public HomeAssistantDiscovery(DiscoveryOptions options, ApplianceTopics topics, string version)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        _options = options;
        _topics = topics;
        _version = version;
    }

    /// <summary>The discovery messages for the device serving <paramref name="model"/> (null before one is loaded).</summary>
    /// <param name="panelButtons">Names of the panel's buttons; none = no event entity.</param>
    public IReadOnlyList<DiscoveryMessage> Build(string? model, IReadOnlyList<string> panelButtons)
    {
        ArgumentNullException.ThrowIfNull(panelButtons);
        var device = new DiscoveryDevice(
            [$"appliance_{_topics.DeviceId}"],
            $"LLM appliance {_topics.DeviceId}",
            model ?? "no model loaded",
            _version,
            Manufacturer);
        var origin = new DiscoveryOrigin("appliance", _version);
        DiscoveryAvailability[] availability =
        [
            new(_topics.Status, "{{ 'offline' if value_json.state == 'offline' else 'online' }}"),
        ];

        DiscoveryConfig Sensor(string key, string name, string stateTopic, string valueTemplate) => new()
        {
            Name = name,
            UniqueId = $"appliance_{_topics.DeviceId}_{key}",
            Device = device,
            Origin = origin,
            Availability = availability,
            StateTopic = stateTopic,
            ValueTemplate = valueTemplate,
        };

        var telemetry = _topics.Telemetry;
        var messages = new List<DiscoveryMessage>
        {
            Message("sensor", Sensor("state", "State", _topics.Status, "{{ value_json.state }}") with
            {
                Icon = "mdi:robot",
                JsonAttributesTopic = _topics.Status,
                JsonAttributesTemplate = "{{ {'model': value_json.model, 'version': value_json.version, 'detail': value_json.detail} | tojson }}",
            }),
            Message("sensor", Sensor(
                "last_answer",
                "Last answer",
                _topics.Answer,
                $"{{{{ (value_json.text if value_json.text is defined else value_json.error.message)[:{StateLengthLimit}] }}}}") with
            {
                Icon = "mdi:message-text",
                JsonAttributesTopic = _topics.Answer,
                JsonAttributesTemplate = "{{ {'id': value_json.id, 'text': value_json.text | default(''), 'finish_reason': value_json.finish_reason | default('error')} | tojson }}",
            }),
            Message("sensor", Sensor("tokens_per_second", "Tokens per second", telemetry, "{{ value_json.tokens_per_second }}") with
            {
                UnitOfMeasurement = "tokens/s",
                StateClass = "measurement",
                Icon = "mdi:speedometer",
                SuggestedDisplayPrecision = 1,
            }),
            Message("sensor", Sensor("queue_length", "Queue length", telemetry, "{{ value_json.queue_length }}") with
            {
                UnitOfMeasurement = "requests",
                StateClass = "measurement",
                Icon = "mdi:tray-full",
            }),
            Message("sensor", Sensor("memory", "Memory used", telemetry, "{{ value_json.process.rss_bytes }}") with
            {
                UnitOfMeasurement = "B",
                DeviceClass = "data_size",
                StateClass = "measurement",
                EntityCategory = "diagnostic",
                SuggestedDisplayPrecision = 0,
            }),
            Message("sensor", Sensor("cpu", "CPU", telemetry, "{{ value_json.process.cpu_percent }}") with
            {
                UnitOfMeasurement = "%",
                StateClass = "measurement",
                EntityCategory = "diagnostic",
                Icon = "mdi:cpu-64-bit",
                SuggestedDisplayPrecision = 0,
            }),

            // max_temperature_c is null on boards without thermal zones: the template renders None, which the sensor shows as unknown.
            Message("sensor", Sensor("temperature", "Temperature", telemetry, "{{ value_json.system.max_temperature_c }}") with
            {
                UnitOfMeasurement = "°C",
                DeviceClass = "temperature",
                StateClass = "measurement",
                EntityCategory = "diagnostic",
                SuggestedDisplayPrecision = 1,
            }),
            Message("text", new DiscoveryConfig
            {
                Name = "Ask",
                UniqueId = $"appliance_{_topics.DeviceId}_ask",
                Device = device,
                Origin = origin,
                Availability = availability,
                CommandTopic = _topics.Ask,
                Mode = "text",
                Min = 1,
                Max = StateLengthLimit,
                Icon = "mdi:chat-question",
            }),
        };
        if (panelButtons.Count > 0)
        {
            messages.Add(Message("event", new DiscoveryConfig
            {
                Name = "Panel button",
                UniqueId = $"appliance_{_topics.DeviceId}_button",
                Device = device,
                Origin = origin,
                Availability = availability,
                StateTopic = _topics.Button,
                EventTypes = [.. panelButtons.SelectMany(button => new[] { $"{button}_short", $"{button}_long" })],
                ValueTemplate = "{\"event_type\": \"{{ value_json.button }}_{{ value_json.press }}\"}",
                DeviceClass = "button",
            }));
        }

        return messages;
    }

    private DiscoveryMessage Message(string component, DiscoveryConfig config) => new(
        component,
        config.UniqueId,
        $"{_options.Prefix}/{component}/{config.UniqueId}/config",
        JsonSerializer.SerializeToUtf8Bytes(config, DiscoveryJsonContext.Wire.DiscoveryConfig));
}
