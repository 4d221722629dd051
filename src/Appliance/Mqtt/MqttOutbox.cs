namespace Appliance.Mqtt;

/// <summary>
/// QoS 1 messages from hand-over until the broker acknowledges them. Each connection's pump sends them in hand-over
/// order, at most the broker's Receive Maximum at a time; whatever a lost connection left unacknowledged is sent
/// again, in the same order, by the next connection's pump.
/// </summary>
internal sealed class MqttOutbox
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _generation;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Completes with the broker's reason code once acknowledged; fails if the broker refuses it or <see cref="FailAll"/> runs first.</summary>
    public Task<MqttReasonCode> Enqueue(MqttMessage message)
    {
        var entry = new Entry(message);
        lock (_lock)
        {
            _entries.Add(entry);
            _wake.TrySetResult();
        }

        return entry.Done.Task;
    }

    /// <summary>Sends on one connection until <paramref name="closing"/> is cancelled (the connection was lost).</summary>
    /// <param name="publish">Sends one message (the flag: sent before, so DUP) and completes with the broker's acknowledgement code; throws if the connection fails first.</param>
    /// <param name="window">The broker's Receive Maximum for this connection.</param>
    public async Task PumpAsync(Func<MqttMessage, bool, Task<MqttReasonCode>> publish, int window, CancellationToken closing)
    {
        int generation;
        lock (_lock)
        {
            generation = ++_generation;
            foreach (var entry in _entries)
            {
                entry.SentOn = 0;
            }
        }

        using var inFlight = new SemaphoreSlim(window, window);
        try
        {
            while (true)
            {
                await inFlight.WaitAsync(closing).ConfigureAwait(false);
                var next = await NextUnsentAsync(generation, closing).ConfigureAwait(false);
                _ = SendAsync(next, generation, publish, inFlight);
            }
        }
        catch (OperationCanceledException) when (closing.IsCancellationRequested)
        {
            // The connection is gone; the next pump starts again from the oldest unacknowledged message.
        }
    }

    public void FailAll(string reason)
    {
        Entry[] failed;
        lock (_lock)
        {
            failed = [.. _entries];
            _entries.Clear();
        }

        foreach (var entry in failed)
        {
            entry.Done.TrySetException(new BrokerConnectionException($"The message to '{entry.Message.Topic}' was not acknowledged: {reason}"));
        }
    }

    private async Task<Entry> NextUnsentAsync(int generation, CancellationToken closing)
    {
        while (true)
        {
            Task wake;
            lock (_lock)
            {
                foreach (var entry in _entries)
                {
                    if (entry.SentOn == 0)
                    {
                        entry.SentOn = generation;
                        return entry;
                    }
                }

                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
            }

            await wake.WaitAsync(closing).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(Entry entry, int generation, Func<MqttMessage, bool, Task<MqttReasonCode>> publish, SemaphoreSlim inFlight)
    {
        try
        {
            var code = await publish(entry.Message, entry.Sends++ > 0).ConfigureAwait(false);
            lock (_lock)
            {
                _entries.Remove(entry);
            }

            if (MqttReasonCodes.IsFailure(code))
            {
                entry.Done.TrySetException(new BrokerConnectionException(
                    $"The broker refused the message to '{entry.Message.Topic}' with {MqttReasonCodes.Describe(code)}.", code));
            }
            else
            {
                entry.Done.TrySetResult(code);
            }
        }
        catch (Exception)
        {
            // Not acknowledged on this connection: send it again (this pump if the connection lives on, else the next).
            lock (_lock)
            {
                if (entry.SentOn == generation)
                {
                    entry.SentOn = 0;
                    _wake.TrySetResult();
                }
            }
        }
        finally
        {
            ReleaseQuietly(inFlight);
        }
    }

    private static void ReleaseQuietly(SemaphoreSlim inFlight)
    {
        try
        {
            inFlight.Release();
        }
        catch (ObjectDisposedException)
        {
            // The pump of that connection has ended; its window is gone with it.
        }
    }

    private sealed class Entry(MqttMessage message)
    {
        public MqttMessage Message { get; } = message;

        public TaskCompletionSource<MqttReasonCode> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>How often it was handed to a connection: from the second time on it goes out with DUP, so the receiver can tell a resend from a new message.</summary>
        public int Sends { get; set; }

        /// <summary>The pump generation that sent it and awaits its acknowledgement; 0 while waiting to be sent.</summary>
        public int SentOn { get; set; }
    }
}
