using System.Text;
using System.Threading.Channels;

namespace Appliance.Pipeline;

/// <summary>
/// Carries a reply's text deltas from the generating thread to MQTT without ever blocking generation: deltas queue
/// here and one task publishes them in order, joining whatever piled up while the broker was slow into one message.
/// </summary>
internal sealed class DeltaStream
{
    private readonly Channel<string> _deltas = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _publishing;

    public DeltaStream(ResponsePublisher publisher, PendingRequest request)
    {
        _publishing = PublishAsync(publisher, request);
    }

    /// <summary>Messages published so far (the next seq).</summary>
    public int Published { get; private set; }

    /// <summary>Queues a delta; called on the generating thread.</summary>
    public void Add(ReadOnlySpan<char> delta) => _deltas.Writer.TryWrite(delta.ToString());

    /// <summary>Publishes what is still queued; the final message may follow once this completes.</summary>
    public Task CompleteAsync()
    {
        _deltas.Writer.TryComplete();
        return _publishing;
    }

    private async Task PublishAsync(ResponsePublisher publisher, PendingRequest request)
    {
        var batch = new StringBuilder();
        while (await _deltas.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (_deltas.Reader.TryRead(out var delta))
            {
                batch.Append(delta);
            }

            await publisher.PublishDeltaAsync(request.Target, request.Id, Published, batch.ToString()).ConfigureAwait(false);
            Published++;
        }
    }
}
