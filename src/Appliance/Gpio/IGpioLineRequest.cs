namespace Appliance.Gpio;

/// <summary>Lines held by this process: their values, their configuration and, for inputs with edge detection, their edges.</summary>
public interface IGpioLineRequest : IDisposable
{
    /// <summary>The requested offsets, in request order.</summary>
    IReadOnlyList<uint> Offsets { get; }

    /// <summary>The logical value (true = active) of a requested line.</summary>
    bool GetValue(uint offset);

    /// <summary>Drives a requested output line to a logical value (true = active).</summary>
    void SetValue(uint offset, bool active);

    /// <summary>Changes the configuration of all requested lines at once (same offsets as requested).</summary>
    void Reconfigure(IReadOnlyList<GpioLineConfig> lines);

    /// <summary>
    /// Blocks until at least one edge event is available, then returns how many were written to
    /// <paramref name="destination"/>. Throws <see cref="OperationCanceledException"/> when cancelled and
    /// <see cref="ObjectDisposedException"/> when the request is disposed meanwhile.
    /// </summary>
    int ReadEdgeEvents(Span<GpioEdgeEvent> destination, CancellationToken cancellationToken);
}
