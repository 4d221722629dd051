using Appliance.Gpio;

namespace Appliance.Tests.Gpio;

/// <summary>
/// A line request of a <see cref="FakeGpioChip"/>. Tests script edges (<see cref="InjectEdge"/>, with the clock's time
/// or an explicit timestamp); a reader blocks in <see cref="ReadEdgeEvents"/> as on a real request.
/// <see cref="WaitUntilDrainedAsync"/> completes once the reader has taken every scripted edge and is waiting again,
/// i.e. has finished processing them: the sync point that keeps tests deterministic without sleeping.
/// </summary>
internal sealed class FakeGpioLineRequest(FakeGpioChip chip, string consumer, IReadOnlyList<GpioLineConfig> lines) : IGpioLineRequest
{
    private readonly object _gate = new();
    private readonly Queue<GpioEdgeEvent> _pending = new();
    private readonly Dictionary<uint, uint> _lineSequence = [];
    private TaskCompletionSource? _drained;
    private bool _readerWaiting;
    private uint _sequence;
    private GpioException? _failure;
    private GpioException? _writeFailure;

    public string Consumer { get; } = consumer;

    public IReadOnlyList<GpioLineConfig> Lines { get; private set; } = lines;

    public IReadOnlyList<uint> Offsets { get; } = [.. lines.Select(line => line.Offset)];

    public bool IsDisposed { get; private set; }

    public GpioLineSettings SettingsOf(uint offset) => Lines.Single(line => line.Offset == offset).Settings;

    public bool GetValue(uint offset)
    {
        Check(offset);
        return chip.Level(offset);
    }

    public void SetValue(uint offset, bool active)
    {
        Check(offset);
        if (_writeFailure is not null)
        {
            throw _writeFailure;
        }

        chip.Write(offset, active);
    }

    public void Reconfigure(IReadOnlyList<GpioLineConfig> lines)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Lines = lines;
    }

    /// <summary>Scripts an edge on <paramref name="offset"/> (logical: rising = becomes active).</summary>
    public void InjectEdge(uint offset, GpioEdgeKind kind, TimeSpan? at = null)
    {
        Check(offset);
        lock (_gate)
        {
            _sequence++;
            _lineSequence[offset] = _lineSequence.GetValueOrDefault(offset) + 1;
            var timestamp = at ?? chip.Now;
            _pending.Enqueue(new GpioEdgeEvent((ulong)timestamp.Ticks * 100, kind, offset, _sequence, _lineSequence[offset]));
            chip.SetLevel(offset, kind == GpioEdgeKind.Rising);
            _readerWaiting = false;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next (or current) <see cref="ReadEdgeEvents"/> throws <paramref name="failure"/>, as when the device goes.</summary>
    public void FailReads(GpioException failure)
    {
        lock (_gate)
        {
            _failure = failure;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Every later <see cref="SetValue"/> throws <paramref name="failure"/>.</summary>
    public void FailWrites(GpioException failure) => _writeFailure = failure;

    public Task WaitUntilDrainedAsync()
    {
        lock (_gate)
        {
            if (_pending.Count == 0 && _readerWaiting)
            {
                return Task.CompletedTask;
            }

            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }

    public int ReadEdgeEvents(Span<GpioEdgeEvent> destination, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
        lock (_gate)
        {
            while (true)
            {
                ObjectDisposedException.ThrowIf(IsDisposed, this);
                if (_failure is not null)
                {
                    throw _failure;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (_pending.Count > 0)
                {
                    var count = 0;
                    while (count < destination.Length && _pending.Count > 0)
                    {
                        destination[count++] = _pending.Dequeue();
                    }

                    return count;
                }

                _readerWaiting = true;
                _drained?.TrySetResult();
                _drained = null;
                Monitor.Wait(_gate);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            IsDisposed = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Check(uint offset)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (!Offsets.Contains(offset))
        {
            throw new ArgumentException($"Line {offset} is not part of this request.", nameof(offset));
        }
    }
}
