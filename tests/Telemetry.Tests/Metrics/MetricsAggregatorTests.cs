using System.Diagnostics.Metrics;
using Appliance.Telemetry.Metrics;

namespace Appliance.Telemetry.Tests.Metrics;

public sealed class MetricsAggregatorTests
{
    [Fact]
    public void Counters_are_kept_by_tag_and_summed()
    {
        using var metrics = new ApplianceMetrics();
        using var aggregator = new MetricsAggregator(metrics.Meter);

        metrics.RequestFinished("done");
        metrics.RequestFinished("done");
        metrics.RequestFinished("busy");
        metrics.TokensCounted(promptTokens: 12, generatedTokens: 30);
        metrics.TokensCounted(promptTokens: 8, generatedTokens: 2);
        metrics.Error("busy");

        var snapshot = aggregator.Snapshot();
        var requests = snapshot.Find("appliance.requests")!;
        Assert.Equal(MetricKind.Counter, requests.Kind);
        Assert.True(requests.IsInteger);
        Assert.Equal(2, requests.ValueWhere("outcome", "done"));
        Assert.Equal(1, requests.ValueWhere("outcome", "busy"));
        Assert.Equal(0, requests.ValueWhere("outcome", "cancelled"));
        Assert.Equal(3, requests.Total);
        Assert.Equal(20, snapshot.Find("appliance.prompt_tokens")!.Total);
        Assert.Equal(32, snapshot.Find("appliance.generated_tokens")!.Total);
        Assert.Equal([KeyValuePair.Create("code", "busy")], snapshot.Find("appliance.errors")!.Series.Single().Tags);
    }

    [Fact]
    public void Histograms_count_into_the_advised_buckets_with_sum_count_and_last_value()
    {
        using var metrics = new ApplianceMetrics();
        using var aggregator = new MetricsAggregator(metrics.Meter);

        metrics.DecodeRate(4);     // <= 5
        metrics.DecodeRate(5);     // <= 5 (bounds are inclusive)
        metrics.DecodeRate(42.5);  // <= 50
        metrics.DecodeRate(999);   // above every bound

        var decode = aggregator.Snapshot().Find("appliance.decode_rate")!;
        var histogram = decode.Series.Single().Histogram!;
        Assert.Equal(MetricKind.Histogram, decode.Kind);
        Assert.Equal(ApplianceMetrics.DecodeRateBuckets, histogram.UpperBounds);
        long[] expected = [0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        Assert.Equal(expected, histogram.BucketCounts);
        Assert.Equal(4, histogram.Count);
        Assert.Equal(1050.5, histogram.Sum);
        Assert.Equal(999, histogram.Last);
    }

    [Fact]
    public void The_queue_length_gauge_is_read_when_a_snapshot_is_taken()
    {
        using var metrics = new ApplianceMetrics();
        using var aggregator = new MetricsAggregator(metrics.Meter);
        var queued = 3;
        metrics.ObserveQueueLength(() => queued);

        var first = aggregator.Snapshot().Find("appliance.queue_length")!;
        queued = 1;
        var second = aggregator.Snapshot().Find("appliance.queue_length")!;

        Assert.Equal(MetricKind.Gauge, first.Kind);
        Assert.Equal(3, first.Total);
        Assert.Equal(1, second.Total);
    }

    [Fact]
    public void Tags_match_in_any_order_and_other_meters_are_not_listened_to()
    {
        using var meter = new Meter("Appliance.Tests.Tags");
        using var stranger = new Meter("Appliance.Tests.Tags");
        using var aggregator = new MetricsAggregator(meter);
        var counter = meter.CreateCounter<double>("things");
        var ignored = stranger.CreateCounter<long>("things");

        counter.Add(1.5, KeyValuePair.Create<string, object?>("a", "x"), KeyValuePair.Create<string, object?>("b", 2));
        counter.Add(2, KeyValuePair.Create<string, object?>("b", 2), KeyValuePair.Create<string, object?>("a", "x"));
        ignored.Add(100);

        var things = Assert.Single(aggregator.Snapshot().Instruments);
        var series = Assert.Single(things.Series);
        Assert.False(things.IsInteger);
        Assert.Equal(3.5, series.Value);
        Assert.Equal([KeyValuePair.Create("a", "x"), KeyValuePair.Create("b", "2")], series.Tags);
    }

    [Fact]
    public void Recording_on_the_generation_path_allocates_nothing()
    {
        using var metrics = new ApplianceMetrics();
        using var aggregator = new MetricsAggregator(metrics.Meter);
        RecordOneRequest(metrics);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            RecordOneRequest(metrics);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(1001, aggregator.Snapshot().Find("appliance.requests")!.ValueWhere("outcome", "done"));
    }

    private static void RecordOneRequest(ApplianceMetrics metrics)
    {
        metrics.TimeToFirstToken(TimeSpan.FromMilliseconds(120));
        metrics.DecodeRate(21.5);
        metrics.TokensCounted(17, 64);
        metrics.RequestFinished("done");
        metrics.Error("cancelled");
    }
}
