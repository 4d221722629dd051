using Appliance.Contract;

namespace Appliance.Pipeline;

/// <summary>An accepted request on its way through the queue and the generator, with the means to cancel it.</summary>
internal sealed class PendingRequest : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private string? _cancelReason;

    public PendingRequest(string id, ApplianceRequest request, IReplySink replies, string source)
    {
        Id = id;
        Request = request;
        Replies = replies;
        Source = source;
    }

    public string Id { get; }

    public ApplianceRequest Request { get; }

    /// <summary>Where its deltas and its final reply go.</summary>
    public IReplySink Replies { get; }

    /// <summary>Who asked: "mqtt", "ask", "http", or what <see cref="State.IApplianceControl.SubmitPrompt"/> was told (e.g. "panel").</summary>
    public string Source { get; }

    public CancellationToken CancellationToken => _cancellation.Token;

    /// <summary>Why it was cancelled, or null while it was not.</summary>
    public string? CancelReason => Volatile.Read(ref _cancelReason);

    /// <summary>Cancels with <paramref name="reason"/>; false when it was already cancelled.</summary>
    public bool Cancel(string reason)
    {
        if (Interlocked.CompareExchange(ref _cancelReason, reason, null) is not null)
        {
            return false;
        }

        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already answered and done with: an HTTP client that leaves just after its answer cancels nothing.
        }

        return true;
    }

    public void Dispose() => _cancellation.Dispose();
}
