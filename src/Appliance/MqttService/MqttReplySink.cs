using Appliance.Engine;
using Appliance.Pipeline;

namespace Appliance.MqttService;

/// <summary>A request's replies as MQTT messages to its <see cref="ReplyTarget"/>.</summary>
internal sealed class MqttReplySink(ResponsePublisher publisher, ReplyTarget target, string clientKey) : IReplySink
{
    public ReplyTarget Target => target;

    public string ClientKey => clientKey;

    public Task SendDeltaAsync(string id, int seq, string delta) => publisher.PublishDeltaAsync(target, id, seq, delta);

    public Task SendFinalAsync(string id, EngineReply reply, string finishReason) => publisher.PublishFinal(target, id, reply, finishReason);

    public Task SendErrorAsync(string id, string code, string message) => publisher.PublishError(target, id, code, message);
}
