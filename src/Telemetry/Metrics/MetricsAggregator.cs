using System.Diagnostics.Metrics;

namespace Appliance.Telemetry.Metrics;

/// <summary>
/// Listens to the instruments of one <see cref="Meter"/> and keeps their current values — counters by tag,
/// histogram buckets/sum/count, gauges — for exporters to read with <see cref="Snapshot"/>. Recording on the
/// request path goes through a lock and allocates nothing once a tag set has been seen.
/// </summary>
public sealed class MetricsAggregator : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private readonly List<InstrumentAggregation> _aggregations = [];

    /// <param name="meter">The meter whose instruments are aggregated (this exact instance, not every meter of that name).</param>
    public MetricsAggregator(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter))
            {
                return;
            }

            var aggregation = new InstrumentAggregation(instrument);
            lock (_gate)
            {
                _aggregations.Add(aggregation);
            }

            listener.EnableMeasurementEvents(instrument, aggregation);
        };
        _listener.MeasurementsCompleted = (instrument, state) =>
        {
            lock (_gate)
            {
                _aggregations.Remove((InstrumentAggregation)state!);
            }
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentAggregation)state!).Record((double)value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments (queue length, ...) and returns every instrument's current values.</summary>
    public MetricsSnapshot Snapshot()
    {
        _listener.RecordObservableInstruments();
        InstrumentAggregation[] aggregations;
        lock (_gate)
        {
            aggregations = [.. _aggregations];
        }

        return new MetricsSnapshot([.. aggregations.Select(aggregation => aggregation.Snapshot())]);
    }

    public void Dispose() => _listener.Dispose();
}
