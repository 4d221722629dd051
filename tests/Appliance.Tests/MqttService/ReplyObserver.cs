using Appliance.Contract;
using Appliance.Mqtt;
using Appliance.Tests.Mqtt;
using System.Text;
using System.Text.Json;

namespace Appliance.Tests.MqttService;

/// <summary>A test client subscribed to one topic filter, reading what arrives as JSON.</summary>
internal sealed class ReplyObserver : IAsyncDisposable
{
    private ReplyObserver(BrokerConnection client, string topicFilter)
    {
        Client = client;
        TopicFilter = topicFilter;
    }

    public BrokerConnection Client { get; }

    public string TopicFilter { get; }

    public static async Task<ReplyObserver> StartAsync(int port, string topicFilter, MqttProtocolVersion version = MqttProtocolVersion.V500)
    {
        var options = TestClients.Options(port);
        options.ProtocolVersion = version;
        options.AllowProtocolFallback = false;
        var client = TestClients.Create(options);
        await client.ConnectAsync().Within().ConfigureAwait(false);
        await client.SubscribeAsync(topicFilter).Within().ConfigureAwait(false);
        return new ReplyObserver(client, topicFilter);
    }

    public static async Task<ReplyObserver> StartAsync(BrokerConnectionOptions options, string topicFilter)
    {
        var client = TestClients.Create(options);
        await client.ConnectAsync().Within().ConfigureAwait(false);
        await client.SubscribeAsync(topicFilter).Within().ConfigureAwait(false);
        return new ReplyObserver(client, topicFilter);
    }

    public async Task<Reply> NextAsync()
    {
        var message = await Client.NextMessageAsync().ConfigureAwait(false);
        return new Reply(message, JsonDocument.Parse(message.Payload).RootElement.Clone());
    }

    /// <summary>Reads until a final or error message arrives; returns it with the deltas before it.</summary>
    public async Task<(Reply Final, List<Reply> Deltas)> NextFinalAsync()
    {
        var deltas = new List<Reply>();
        while (true)
        {
            var reply = await NextAsync().ConfigureAwait(false);
            if (reply.IsFinal || reply.IsError)
            {
                return (reply, deltas);
            }

            deltas.Add(reply);
        }
    }

    /// <summary>Reads until a status message with <paramref name="state"/> arrives.</summary>
    public async Task<Reply> NextStatusAsync(string state)
    {
        while (true)
        {
            var reply = await NextAsync().ConfigureAwait(false);
            if (reply.Json.GetProperty("state").GetString() == state)
            {
                return reply;
            }
        }
    }

    public Task PublishAsync(string topic, string payload, string? responseTopic = null, byte[]? correlationData = null) =>
        PublishAsync(topic, Encoding.UTF8.GetBytes(payload), responseTopic, correlationData);

    public Task PublishAsync(string topic, byte[] payload, string? responseTopic = null, byte[]? correlationData = null) =>
        Client.PublishAsync(new MqttMessage
        {
            Topic = topic,
            Payload = payload,
            Qos = MqttQualityOfService.AtLeastOnce,
            ResponseTopic = responseTopic,
            CorrelationData = correlationData,
        }).Within();

    public async ValueTask DisposeAsync() => await Client.DisposeAsync().ConfigureAwait(false);
}

/// <summary>One received message and its JSON.</summary>
internal sealed record Reply(MqttMessage Message, JsonElement Json)
{
    public bool IsFinal => Json.TryGetProperty("done", out var done) && done.GetBoolean();

    public bool IsError => Json.TryGetProperty("error", out _);

    public string Id => Json.GetProperty("id").GetString()!;

    public string? ErrorCode => IsError ? Json.GetProperty("error").GetProperty("code").GetString() : null;

    public string? ErrorMessage => IsError ? Json.GetProperty("error").GetProperty("message").GetString() : null;

    public string Text => Field("text");

    public string FinishReason => Field("finish_reason");

    public string Delta => Field("delta");

    private string Field(string name) =>
        Json.TryGetProperty(name, out var value) ? value.GetString()! : throw new Xunit.Sdk.XunitException($"'{name}' is missing in {Json}");

    public int Seq => Json.GetProperty("seq").GetInt32();
}
