using System.Diagnostics.Metrics;

namespace Appliance.Telemetry.Metrics;

/// <summary>
/// The appliance's instruments on the "Appliance" meter. The request path records through these methods only;
/// exporters (MQTT JSON, Prometheus) read the instruments with a MeterListener and never sit in the path.
/// Recording allocates nothing: tags are built from a fixed set of strings.
/// </summary>
public sealed class ApplianceMetrics : IDisposable
{
    public const string MeterName = "Appliance";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _promptTokens;
    private readonly Counter<long> _generatedTokens;
    private readonly Histogram<double> _timeToFirstToken;
    private readonly Histogram<double> _decodeRate;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _modelLoadTime;
    private Func<int> _queueLength = static () => 0;

    public ApplianceMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("appliance.requests", "{request}", "Requests finished, by outcome (done, error code)");
        _promptTokens = _meter.CreateCounter<long>("appliance.prompt_tokens", "{token}", "Prompt tokens prefilled");
        _generatedTokens = _meter.CreateCounter<long>("appliance.generated_tokens", "{token}", "Tokens generated");
        _timeToFirstToken = _meter.CreateHistogram("appliance.time_to_first_token", "s", "From dequeue to the first generated token", advice: Buckets(SecondsBuckets));
        _decodeRate = _meter.CreateHistogram("appliance.decode_rate", "{token}/s", "Decode tokens per second, per request", advice: Buckets(DecodeRateBuckets));
        _errors = _meter.CreateCounter<long>("appliance.errors", "{error}", "Error responses, by code");
        _modelLoadTime = _meter.CreateHistogram("appliance.model_load_time", "s", "Time to load and verify the model", advice: Buckets(LoadSecondsBuckets));
        _meter.CreateObservableGauge("appliance.queue_length", () => _queueLength(), "{request}", "Requests waiting to be generated");
    }

    /// <summary>Bucket bounds for latencies on a small board: 10 ms up to a minute.</summary>
    public static IReadOnlyList<double> SecondsBuckets { get; } = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>Bucket bounds for decode rates: a slow CPU board to a Jetson GPU.</summary>
    public static IReadOnlyList<double> DecodeRateBuckets { get; } = [1, 2, 5, 10, 20, 30, 50, 75, 100, 150, 200];

    /// <summary>Bucket bounds for model loads (hashing a few hundred MB dominates).</summary>
    public static IReadOnlyList<double> LoadSecondsBuckets { get; } = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public Meter Meter => _meter;

    /// <summary>Where the queue length gauge reads from (the request queue's count).</summary>
    public void ObserveQueueLength(Func<int> queueLength)
    {
        ArgumentNullException.ThrowIfNull(queueLength);
        _queueLength = queueLength;
    }

    /// <summary>A request ended: <paramref name="outcome"/> is "done" or an error code (bad_request, busy, cancelled, ...).</summary>
    public void RequestFinished(string outcome) => _requests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void TokensCounted(int promptTokens, int generatedTokens)
    {
        _promptTokens.Add(promptTokens);
        _generatedTokens.Add(generatedTokens);
    }

    public void TimeToFirstToken(TimeSpan elapsed) => _timeToFirstToken.Record(elapsed.TotalSeconds);

    public void DecodeRate(double tokensPerSecond) => _decodeRate.Record(tokensPerSecond);

    public void Error(string code) => _errors.Add(1, new KeyValuePair<string, object?>("code", code));

    public void ModelLoaded(TimeSpan elapsed) => _modelLoadTime.Record(elapsed.TotalSeconds);

    public void Dispose() => _meter.Dispose();

    // The advice tells any listener (ours, OpenTelemetry's) where the histogram buckets go.
    private static InstrumentAdvice<double> Buckets(IReadOnlyList<double> bounds) => new() { HistogramBucketBoundaries = bounds };
}
