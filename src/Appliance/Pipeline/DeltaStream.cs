using System.Text;
using System.Threading.Channels;

namespace Appliance.Pipeline;

/// <summary>
/// Carries a reply's text deltas from the generating thread to its front door without ever blocking generation:
/// deltas queue here and one task sends them in order, joining whatever piled up while the door was slow into one.
/// </summary>
internal sealed class DeltaStream
{
    private readonly Channel<string> _deltas = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _sending;

    public DeltaStream(PendingRequest request)
    {
        _sending = SendAsync(request);
    }

    /// <summary>Messages sent so far (the next seq).</summary>
    public int Sent { get; private set; }

    /// <summary>Queues a delta; called on the generating thread.</summary>
    public void Add(ReadOnlySpan<char> delta) => _deltas.Writer.TryWrite(delta.ToString());

    /// <summary>Sends what is still queued; the final reply may follow once this completes.</summary>
    public Task CompleteAsync()
    {
        _deltas.Writer.TryComplete();
        return _sending;
    }

    private async Task SendAsync(PendingRequest request)
    {
        var batch = new StringBuilder();
        while (await _deltas.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (_deltas.Reader.TryRead(out var delta))
            {
                batch.Append(delta);
            }

            await request.Replies.SendDeltaAsync(request.Id, Sent, batch.ToString()).ConfigureAwait(false);
            Sent++;
        }
    }
}
