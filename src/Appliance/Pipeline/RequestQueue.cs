namespace Appliance.Pipeline;

/// <summary>
/// The requests waiting for the generator, oldest first, at most <see cref="Capacity"/> of them: a request that does
/// not fit is refused at once (the `busy` error) instead of waiting unboundedly. Queued requests can be taken out
/// (cancelled) or drained (shutdown, model reload). Thread-safe; one consumer.
/// </summary>
internal sealed class RequestQueue<T> : IDisposable
    where T : class
{
    private readonly Lock _gate = new();
    private readonly LinkedList<T> _items = [];
    private readonly SemaphoreSlim _available = new(0);

    public RequestQueue(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Raised after the number of waiting requests changed (outside the queue's lock).</summary>
    public event Action? Changed;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>Adds <paramref name="item"/> at the end; false when the queue is full.</summary>
    public bool TryEnqueue(T item)
    {
        ArgumentNullException.ThrowIfNull(item);
        lock (_gate)
        {
            if (_items.Count >= Capacity)
            {
                return false;
            }

            _items.AddLast(item);
        }

        _available.Release();
        Changed?.Invoke();
        return true;
    }

    /// <summary>Waits for the oldest request and takes it out.</summary>
    public async Task<T> DequeueAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _available.WaitAsync(cancellationToken).ConfigureAwait(false);
            T? taken = null;
            lock (_gate)
            {
                // A count may outlive its item when the item was removed or drained; then wait for the next.
                if (_items.First is { } first)
                {
                    _items.RemoveFirst();
                    taken = first.Value;
                }
            }

            if (taken is not null)
            {
                Changed?.Invoke();
                return taken;
            }
        }
    }

    /// <summary>How many waiting requests match <paramref name="match"/>.</summary>
    public int CountWhere(Func<T, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        lock (_gate)
        {
            var count = 0;
            foreach (var item in _items)
            {
                count += match(item) ? 1 : 0;
            }

            return count;
        }
    }

    /// <summary>Takes out the first request matching <paramref name="match"/>, if any.</summary>
    public T? Remove(Func<T, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        T? removed = null;
        lock (_gate)
        {
            for (var node = _items.First; node is not null; node = node.Next)
            {
                if (match(node.Value))
                {
                    _items.Remove(node);
                    removed = node.Value;
                    break;
                }
            }
        }

        if (removed is not null)
        {
            Changed?.Invoke();
        }

        return removed;
    }

    /// <summary>Takes out every waiting request, oldest first.</summary>
    public IReadOnlyList<T> DrainAll()
    {
        List<T> all;
        lock (_gate)
        {
            all = [.. _items];
            _items.Clear();
        }

        Changed?.Invoke();
        return all;
    }

    public void Dispose() => _available.Dispose();
}
