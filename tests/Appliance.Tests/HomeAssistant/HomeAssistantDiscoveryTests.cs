using Appliance.Contract;
using Appliance.HomeAssistant;
using Appliance.State;
using Appliance.Tests.Mqtt;
using Appliance.Tests.MqttService;
using System.Text.Json;

namespace Appliance.Tests.HomeAssistant;

/// <summary>Discovery payloads checked key by key against Home Assistant's documented MQTT sensor, text and event schemas.</summary>
public sealed class HomeAssistantDiscoveryTests : IClassFixture<PlainBrokerFixture>
{
    // Keys every MQTT entity schema documents (home-assistant.io/integrations/{sensor,text,event}.mqtt, mqtt#discovery).
    private static readonly string[] CommonKeys =
    [
        "availability", "availability_mode", "availability_template", "availability_topic", "device", "enabled_by_default",
        "encoding", "entity_category", "icon", "json_attributes_template", "json_attributes_topic", "name", "origin", "qos",
        "unique_id", "default_entity_id",
    ];

    private static readonly Dictionary<string, (string[] Allowed, string[] Required)> Schemas = new()
    {
        ["sensor"] = (
            [.. CommonKeys, "state_topic", "value_template", "unit_of_measurement", "device_class", "state_class",
                "suggested_display_precision", "expire_after", "force_update", "last_reset_value_template", "options"],
            ["state_topic"]),
        ["text"] = (
            [.. CommonKeys, "command_topic", "command_template", "max", "min", "mode", "pattern", "retain", "state_topic", "value_template"],
            ["command_topic"]),
        ["event"] = (
            [.. CommonKeys, "state_topic", "event_types", "value_template", "device_class"],
            ["state_topic", "event_types"]),
    };

    private static readonly string[] DeviceKeys =
        ["configuration_url", "connections", "hw_version", "identifiers", "manufacturer", "model", "model_id", "name", "serial_number", "suggested_area", "sw_version", "via_device"];

    private static readonly string[] AvailabilityKeys = ["topic", "value_template", "payload_available", "payload_not_available"];

    private static readonly string[] OriginKeys = ["name", "sw_version", "support_url"];

    private readonly MosquittoBroker _broker;

    public HomeAssistantDiscoveryTests(PlainBrokerFixture fixture)
    {
        _broker = fixture.Broker;
    }

    [Fact]
    public void Every_payload_uses_only_documented_keys_and_has_the_required_ones()
    {
        var messages = Discovery("kitchen").Build("Qwen2.5-0.5B-Instruct", ["ask", "cancel"]);

        Assert.Equal(
            ["sensor/state", "sensor/last_answer", "sensor/tokens_per_second", "sensor/queue_length", "sensor/memory", "sensor/cpu", "sensor/temperature", "text/ask", "event/button"],
            messages.Select(m => $"{m.Component}/{m.ObjectId["appliance_kitchen_".Length..]}"));
        foreach (var message in messages)
        {
            var json = Parse(message);
            var (allowed, required) = Schemas[message.Component];
            var keys = json.EnumerateObject().Select(p => p.Name).ToList();
            Assert.All(keys, key => Assert.Contains(key, allowed));
            Assert.All(required, key => Assert.Contains(key, keys));
            Assert.Equal($"ha/{message.Component}/{message.ObjectId}/config", message.Topic);
            Assert.Equal(message.ObjectId, json.GetProperty("unique_id").GetString());
            Assert.All(json.GetProperty("device").EnumerateObject(), p => Assert.Contains(p.Name, DeviceKeys));
            Assert.All(json.GetProperty("origin").EnumerateObject(), p => Assert.Contains(p.Name, OriginKeys));
            var availability = Assert.Single(json.GetProperty("availability").EnumerateArray());
            Assert.All(availability.EnumerateObject(), p => Assert.Contains(p.Name, AvailabilityKeys));
            Assert.Equal("appliance/kitchen/status", availability.GetProperty("topic").GetString());
            Assert.Equal("{{ 'offline' if value_json.state == 'offline' else 'online' }}", availability.GetProperty("value_template").GetString());
        }
    }

    [Fact]
    public void All_entities_belong_to_one_device_named_after_the_device_id_with_model_and_version()
    {
        var devices = Discovery("kitchen").Build("Qwen2.5-0.5B-Instruct", []).Select(m => Parse(m).GetProperty("device").GetRawText()).Distinct().ToList();

        var device = JsonDocument.Parse(Assert.Single(devices)).RootElement;
        Assert.Equal(["appliance_kitchen"], device.GetProperty("identifiers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("LLM appliance kitchen", device.GetProperty("name").GetString());
        Assert.Equal("Qwen2.5-0.5B-Instruct", device.GetProperty("model").GetString());
        Assert.Equal("0.1.0", device.GetProperty("sw_version").GetString());
        Assert.Equal("no model loaded", Parse(Discovery("kitchen").Build(null, [])[0]).GetProperty("device").GetProperty("model").GetString());
    }

    [Fact]
    public void Sensors_read_the_status_answer_and_telemetry_fields()
    {
        var entities = Discovery("dev").Build("m", []).ToDictionary(m => m.ObjectId["appliance_dev_".Length..], Parse);

        Assert.Equal(("appliance/dev/status", "{{ value_json.state }}"), Sensor(entities["state"]));
        Assert.Equal("appliance/dev/answer", entities["last_answer"].GetProperty("state_topic").GetString());
        Assert.Contains("[:255]", entities["last_answer"].GetProperty("value_template").GetString(), StringComparison.Ordinal);
        Assert.Equal(("appliance/dev/telemetry", "{{ value_json.tokens_per_second }}"), Sensor(entities["tokens_per_second"]));
        Assert.Equal(("appliance/dev/telemetry", "{{ value_json.queue_length }}"), Sensor(entities["queue_length"]));
        Assert.Equal(("appliance/dev/telemetry", "{{ value_json.process.rss_bytes }}"), Sensor(entities["memory"]));
        Assert.Equal(("appliance/dev/telemetry", "{{ value_json.process.cpu_percent }}"), Sensor(entities["cpu"]));
        Assert.Equal(("appliance/dev/telemetry", "{{ value_json.system.max_temperature_c }}"), Sensor(entities["temperature"]));
        Assert.Equal(("temperature", "°C", "measurement"), Classes(entities["temperature"]));
        Assert.Equal(("data_size", "B", "measurement"), Classes(entities["memory"]));
        Assert.Equal("diagnostic", entities["cpu"].GetProperty("entity_category").GetString());

        var ask = entities["ask"];
        Assert.Equal("appliance/dev/ask", ask.GetProperty("command_topic").GetString());
        Assert.Equal((1, 255, "text"), (ask.GetProperty("min").GetInt32(), ask.GetProperty("max").GetInt32(), ask.GetProperty("mode").GetString()));
        Assert.False(entities.ContainsKey("button"));
    }

    [Fact]
    public void The_panel_event_entity_offers_a_short_and_long_press_per_button()
    {
        var button = Parse(Discovery("dev").Build("m", ["ask", "cancel"]).Single(m => m.Component == "event"));

        Assert.Equal("appliance/dev/button", button.GetProperty("state_topic").GetString());
        Assert.Equal(["ask_short", "ask_long", "cancel_short", "cancel_long"], button.GetProperty("event_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("{\"event_type\": \"{{ value_json.button }}_{{ value_json.press }}\"}", button.GetProperty("value_template").GetString());
        Assert.Equal("button", button.GetProperty("device_class").GetString());
    }

    [Fact]
    public async Task The_service_publishes_discovery_retained_and_again_when_the_model_changes()
    {
        var prefix = $"ha{Guid.NewGuid():N}";
        var second = new ScriptedEngine { ModelName = "second-model" };
        await using var service = await ServiceHarness.StartAsync(
            $"mqtt://127.0.0.1:{_broker.Port}",
            new ScriptedEngineLoader(new ScriptedEngine(), second),
            discovery: new DiscoveryOptions { Prefix = prefix },
            panelButtons: ["ask"]);
        await using var observer = await ReplyObserver.StartAsync(_broker.Port, $"{prefix}/#");

        var seen = new Dictionary<string, Reply>();
        while (seen.Count < 9 || seen.Values.Any(r => r.Json.GetProperty("device").GetProperty("model").GetString() != "scripted-model"))
        {
            var reply = await observer.NextAsync();
            seen[reply.Message.Topic] = reply;
        }

        Assert.Contains($"{prefix}/text/appliance_{service.Topics.DeviceId}_ask/config", seen.Keys);
        Assert.Contains($"{prefix}/event/appliance_{service.Topics.DeviceId}_button/config", seen.Keys);
        await using var late = await ReplyObserver.StartAsync(_broker.Port, $"{prefix}/sensor/appliance_{service.Topics.DeviceId}_state/config");
        Assert.True((await late.NextAsync()).Message.Retain);

        await service.Service.ReloadModelAsync(CancellationToken.None).Within();
        Reply changed;
        do
        {
            changed = await observer.NextAsync();
        }
        while (changed.Json.GetProperty("device").GetProperty("model").GetString() != "second-model");
        Assert.Equal(ServiceState.Ready, service.Board.Current.State);
    }

    private static HomeAssistantDiscovery Discovery(string deviceId) =>
        new(new DiscoveryOptions { Prefix = "ha" }, new ApplianceTopics(deviceId), "0.1.0");

    private static JsonElement Parse(DiscoveryMessage message) => JsonDocument.Parse(message.Payload).RootElement;

    private static (string?, string?) Sensor(JsonElement entity) =>
        (entity.GetProperty("state_topic").GetString(), entity.GetProperty("value_template").GetString());

    private static (string?, string?, string?) Classes(JsonElement entity) =>
        (entity.GetProperty("device_class").GetString(), entity.GetProperty("unit_of_measurement").GetString(), entity.GetProperty("state_class").GetString());
}
