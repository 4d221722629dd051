using Appliance.Engine;
using Appliance.Pipeline;
using System.Threading.Channels;

namespace Appliance.Http;

/// <summary>
/// An HTTP request's replies, queued for the handler that writes the response: never blocks the generating thread,
/// and ends after the one final reply or error the pipeline sends every request.
/// </summary>
internal sealed class HttpReplySink(string clientKey) : IReplySink
{
    private readonly Channel<HttpReplyEvent> _events = Channel.CreateUnbounded<HttpReplyEvent>(new UnboundedChannelOptions { SingleReader = true });

    public string ClientKey => clientKey;

    public ChannelReader<HttpReplyEvent> Events => _events.Reader;

    public Task SendDeltaAsync(string id, int seq, string delta)
    {
        _events.Writer.TryWrite(new HttpReplyDelta(delta));
        return Task.CompletedTask;
    }

    public Task SendFinalAsync(string id, EngineReply reply, string finishReason) => End(new HttpReplyFinal(reply, finishReason));

    public Task SendErrorAsync(string id, string code, string message) => End(new HttpReplyError(code, message));

    private Task End(HttpReplyEvent last)
    {
        _events.Writer.TryWrite(last);
        _events.Writer.TryComplete();
        return Task.CompletedTask;
    }
}
