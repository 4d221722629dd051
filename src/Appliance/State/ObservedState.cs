namespace Appliance.State;

/// <summary>
/// A value that parts of the service observe: every change is made under one lock and announced through
/// <see cref="Changed"/> in the order it was made; a change that leaves the value equal announces nothing.
/// </summary>
public abstract class ObservedState<T>(T initial)
    where T : class, IEquatable<T>
{
    private readonly Lock _gate = new();
    private T _current = initial;

    /// <summary>Raised after every change, in order, on the thread that made it. Handlers must not block.</summary>
    public event EventHandler<T>? Changed;

    public T Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Replaces the value with what <paramref name="change"/> makes of it (run under the lock).</summary>
    protected void Update(Func<T, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        lock (_gate)
        {
            var next = change(_current);
            if (next.Equals(_current))
            {
                return;
            }

            _current = next;

            // Raised under the lock so observers see changes in the order they were made.
            Changed?.Invoke(this, next);
        }
    }
}
