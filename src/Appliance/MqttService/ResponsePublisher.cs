using Appliance.Contract;
using Appliance.Engine;
using Appliance.Mqtt;
using Appliance.Pipeline;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Appliance.MqttService;

/// <summary>
/// Publishes replies: deltas at QoS 0 (a delta lost in an outage is repeated by the final text), finals and errors at
/// QoS 1 (the client's outbox keeps them across a reconnect, so no request goes unanswered). MQTT 5 replies echo the
/// correlation data and say they are UTF-8 JSON. Tracks QoS 1 deliveries so shutdown can wait for them.
/// </summary>
internal sealed partial class ResponsePublisher
{
    private readonly IBrokerConnection _client;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly HashSet<Task> _deliveries = [];

    public ResponsePublisher(IBrokerConnection client, ILogger logger)
    {
        _client = client;
        _logger = logger;
    }

    /// <summary>Publishes a delta now; false when the broker is not connected (the delta is dropped).</summary>
    public async Task<bool> PublishDeltaAsync(ReplyTarget target, string id, int seq, string delta)
    {
        var message = Message(target, new DeltaMessage(id, seq, delta), ApiJsonContext.Wire.DeltaMessage, MqttQualityOfService.AtMostOnce);
        try
        {
            await _client.PublishAsync(message).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (error is BrokerConnectionException or ArgumentException)
        {
            LogDeltaDropped(_logger, id, target.Topic, error.Message);
            return false;
        }
    }

    public Task PublishFinal(ReplyTarget target, string id, EngineReply reply, string finishReason)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var timings = reply.Timings;
        var final = new FinalMessage(
            id,
            Done: true,
            reply.Text,
            finishReason,
            new UsageMessage(reply.Usage.PromptTokens, reply.Usage.CompletionTokens),
            new TimingsMessage(Round(timings.TimeToFirstTokenMs), Round(timings.PrefillTokensPerSecond), Round(timings.DecodeTokensPerSecond), Round(timings.TotalMs), reply.Usage.CachedPromptTokens))
        {
            ToolCalls = reply.ToolCalls.Count == 0 ? null
                : [.. reply.ToolCalls.Select(call => new ToolCallMessage(ToolCallMessage.NewId(), "function", new FunctionCallMessage(call.Name, call.ArgumentsJson)))],
        };
        return Deliver(Message(target, final, ApiJsonContext.Wire.FinalMessage, MqttQualityOfService.AtLeastOnce), id);
    }

    public Task PublishError(ReplyTarget target, string id, string code, string text) =>
        Deliver(Message(target, new ErrorMessage(id, new ErrorBody(code, text)), ApiJsonContext.Wire.ErrorMessage, MqttQualityOfService.AtLeastOnce), id);

    /// <summary>Waits until every QoS 1 reply handed over so far is acknowledged, or <paramref name="limit"/> passes.</summary>
    public async Task<bool> WaitForDeliveriesAsync(TimeSpan limit, TimeProvider time)
    {
        Task[] pending;
        lock (_gate)
        {
            pending = [.. _deliveries];
        }

        return await Task.WhenAll(pending).EndsWithinAsync(limit, time).ConfigureAwait(false);
    }

    public static ReadOnlyMemory<byte> Serialize<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.SerializeToUtf8Bytes(value, type);

    private static double Round(double value) => double.IsFinite(value) ? Math.Round(value, 2) : 0;

    private static MqttMessage Message<T>(ReplyTarget target, T body, JsonTypeInfo<T> type, MqttQualityOfService qos) => new()
    {
        Topic = target.Topic,
        Payload = Serialize(body, type),
        Qos = qos,
        Retain = target.Retain,
        CorrelationData = target.CorrelationData,
        ContentType = "application/json",
        PayloadFormat = MqttPayloadFormat.Utf8,
    };

    /// <summary>Hands a QoS 1 message to the client; the returned task ends when it is acknowledged or failed (never faults).</summary>
    private Task Deliver(MqttMessage message, string id)
    {
        var delivery = DeliverAsync(message, id);
        lock (_gate)
        {
            if (!delivery.IsCompleted)
            {
                _deliveries.Add(delivery);
            }
        }

        _ = delivery.ContinueWith(
            (done, state) =>
            {
                var self = (ResponsePublisher)state!;
                lock (self._gate)
                {
                    self._deliveries.Remove(done);
                }
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return delivery;
    }

    private async Task DeliverAsync(MqttMessage message, string id)
    {
        try
        {
            await _client.PublishAsync(message).ConfigureAwait(false);
        }
        catch (Exception error) when (error is BrokerConnectionException or ArgumentException or ObjectDisposedException)
        {
            LogReplyLost(_logger, id, message.Topic, error.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "request {Id}: a delta to {Topic} was dropped: {Reason}")]
    private static partial void LogDeltaDropped(ILogger logger, string id, string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "request {Id}: the reply to {Topic} could not be delivered: {Reason}")]
    private static partial void LogReplyLost(ILogger logger, string id, string topic, string reason);
}
