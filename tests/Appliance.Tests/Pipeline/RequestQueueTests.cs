using Appliance.Pipeline;
using Appliance.Tests.Mqtt;

namespace Appliance.Tests.Pipeline;

public sealed class RequestQueueTests
{
    [Fact]
    public async Task Requests_come_out_oldest_first_and_a_full_queue_refuses_at_once()
    {
        using var queue = new RequestQueue<string>(2);

        Assert.True(queue.TryEnqueue("a"));
        Assert.True(queue.TryEnqueue("b"));
        Assert.False(queue.TryEnqueue("c"));
        Assert.Equal(2, queue.Count);
        Assert.Equal("a", await queue.DequeueAsync(CancellationToken.None).Within());
        Assert.True(queue.TryEnqueue("c"));
        Assert.Equal(["b", "c"], queue.DrainAll());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task A_waiting_consumer_gets_the_next_request_and_skips_removed_ones()
    {
        using var queue = new RequestQueue<string>(4);
        var waiting = queue.DequeueAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        queue.TryEnqueue("first");
        Assert.Equal("first", await waiting.Within());

        queue.TryEnqueue("removed");
        queue.TryEnqueue("kept");
        Assert.Equal("removed", queue.Remove(item => item == "removed"));
        Assert.Null(queue.Remove(item => item == "absent"));
        Assert.Equal("kept", await queue.DequeueAsync(CancellationToken.None).Within());

        queue.TryEnqueue("drained");
        queue.DrainAll();
        var next = queue.DequeueAsync(CancellationToken.None);
        queue.TryEnqueue("after drain");
        Assert.Equal("after drain", await next.Within());
    }

    [Fact]
    public async Task Waiting_stops_when_cancelled()
    {
        using var queue = new RequestQueue<string>(1);
        using var stop = new CancellationTokenSource();
        var waiting = queue.DequeueAsync(stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within());
    }
}
