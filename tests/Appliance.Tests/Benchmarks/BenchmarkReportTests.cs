using System.Text.Json;
using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class BenchmarkReportTests
{
    private static readonly BenchmarkReport Report = new()
    {
        Model = "/models/m",
        OrtVersion = "1.32.0",
        OrtLibrary = "/usr/lib/appliance/libonnxruntime.so.1",
        Threads = 4,
        PromptTokens = 128,
        GenTokens = 64,
        Repetitions = 3,
        KvSharedBuffer = true,
        PrefillTokensPerS = 512.4,
        DecodeTokensPerS = 20.5,
        DecodeStepMedianMs = 48.25,
        TtftMs = 250,
        PeakRssBytes = 300L << 20,
        KvCacheBytes = 50L << 20,
        AllocBytesPerToken = 0,
        BandwidthGbPerS = 8.5,
        BandwidthBufferBytes = 256L << 20,
        WeightBytes = 250_000_000,
        KvBytesPerToken = 3_000_000,
        BytesPerToken = 253_000_000,
        RooflineTokensPerS = 33.6,
        RooflineFraction = 0.61,
    };

    [Fact]
    public void Json_has_the_snake_case_fields_scripts_read()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(Report, BenchmarkJsonContext.Default.BenchmarkReport));
        var root = json.RootElement;

        Assert.Equal(512.4, root.GetProperty("prefill_tokens_per_s").GetDouble());
        Assert.Equal(20.5, root.GetProperty("decode_tokens_per_s").GetDouble());
        Assert.Equal(48.25, root.GetProperty("decode_step_median_ms").GetDouble());
        Assert.Equal("/usr/lib/appliance/libonnxruntime.so.1", root.GetProperty("ort_library").GetString());
        Assert.Equal(250, root.GetProperty("ttft_ms").GetDouble());
        Assert.Equal(300L << 20, root.GetProperty("peak_rss_bytes").GetInt64());
        Assert.Equal(0, root.GetProperty("alloc_bytes_per_token").GetDouble());
        Assert.Equal(8.5, root.GetProperty("bandwidth_gb_per_s").GetDouble());
        Assert.Equal(33.6, root.GetProperty("roofline_tokens_per_s").GetDouble());
        Assert.Equal(0.61, root.GetProperty("roofline_fraction").GetDouble());
        Assert.True(root.GetProperty("kv_shared_buffer").GetBoolean());
        Assert.Equal(50L << 20, root.GetProperty("kv_cache_bytes").GetInt64());
        Assert.Equal((300.0 * 1048576) / (250_000_000 + (50.0 * 1048576)), root.GetProperty("rss_over_model_bytes").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("decode_profile").ValueKind);
    }

    [Fact]
    public void Decode_profile_is_listed_under_the_table_and_in_the_json()
    {
        var profiled = Report with
        {
            DecodeProfile = [new OperatorTime("MatMulNBits", 12.3456, 0.6), new OperatorTime(OrtProfileSummary.OutsideKernels, 2.5, 0.125)],
        };

        var table = BenchmarkTable.Format(profiled).Split(Environment.NewLine);
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(profiled, BenchmarkJsonContext.Default.BenchmarkReport));

        Assert.Equal(
            ["decode time per token by operator (ONNX Runtime profile):", "  MatMulNBits          12.346 ms   60.0 %", "  (outside kernels)     2.500 ms   12.5 %"],
            table[^3..]);
        var first = json.RootElement.GetProperty("decode_profile")[0];
        Assert.Equal("MatMulNBits", first.GetProperty("operator").GetString());
        Assert.Equal(12.3456, first.GetProperty("milliseconds_per_token").GetDouble());
        Assert.Equal(0.6, first.GetProperty("share").GetDouble());
    }

    [Fact]
    public void Memory_breakdown_splits_peak_rss_into_runtime_load_and_generation_in_json_and_table()
    {
        var measured = Report with { Memory = new MemoryBreakdown(BeforeLoadBytes: 40L << 20, AfterLoadBytes: 240L << 20, PeakBytes: 300L << 20, KvCacheAllocatedBytes: 50L << 20, KvCacheResidentBytes: 5L << 20) };

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(measured, BenchmarkJsonContext.Default.BenchmarkReport));
        var memory = json.RootElement.GetProperty("memory");

        Assert.Equal(40L << 20, memory.GetProperty("runtime_bytes").GetInt64());
        Assert.Equal(200L << 20, memory.GetProperty("weights_and_session_bytes").GetInt64());
        Assert.Equal(60L << 20, memory.GetProperty("generation_bytes").GetInt64());
        Assert.Equal(50L << 20, memory.GetProperty("kv_cache_allocated_bytes").GetInt64());
        Assert.Equal(5L << 20, memory.GetProperty("kv_cache_resident_bytes").GetInt64());
        Assert.Equal(40L << 20, memory.GetProperty("before_load_bytes").GetInt64());
        Assert.Equal(240L << 20, memory.GetProperty("after_load_bytes").GetInt64());
        Assert.Equal(300L << 20, memory.GetProperty("peak_bytes").GetInt64());
        Assert.Contains("rss split              runtime 40.0 + weights and session 200.0 + generation 60.0 MiB (kv cache 5.0 resident of 50.0 MiB reserved)", BenchmarkTable.Format(measured).Split(Environment.NewLine));
    }

    [Fact]
    public void Memory_breakdown_never_reports_a_negative_share_when_rss_shrank_during_loading()
    {
        var shrank = new MemoryBreakdown(BeforeLoadBytes: 100, AfterLoadBytes: 80, PeakBytes: 90, KvCacheAllocatedBytes: 0, KvCacheResidentBytes: 0);

        Assert.Equal((90L, 0L, 0L), (shrank.RuntimeBytes, shrank.WeightsAndSessionBytes, shrank.GenerationBytes));
    }

    [Theory]
    [InlineData(40, 240, 300)]
    [InlineData(100, 80, 90)]
    [InlineData(40, 320, 300)]
    [InlineData(40, 40, 40)]
    public void Memory_shares_add_up_to_the_peak_whatever_order_the_readings_came_in(long before, long afterLoad, long peak)
    {
        var memory = new MemoryBreakdown(before, afterLoad, peak, KvCacheAllocatedBytes: 0, KvCacheResidentBytes: 0);

        Assert.Equal(peak, memory.RuntimeBytes + memory.WeightsAndSessionBytes + memory.GenerationBytes);
        Assert.True(memory.RuntimeBytes >= 0 && memory.WeightsAndSessionBytes >= 0 && memory.GenerationBytes >= 0);
    }

    [Fact]
    public void Table_shows_each_measurement_with_its_unit()
    {
        var table = BenchmarkTable.Format(Report).Split(Environment.NewLine);

        Assert.Contains("prefill                512.4 tokens/s", table);
        Assert.Contains("decode                 20.50 tokens/s (median step 48.25 ms)", table);
        Assert.Contains("time to first token    250.0 ms", table);
        Assert.Contains("peak rss               300.0 MiB (1.04 x weights 238.4 MiB + kv cache 50.0 MiB)", table);
        Assert.Contains("read bandwidth         8.50 GB/s (4 threads, 256 MiB buffer)", table);
        Assert.Contains("bytes / token          253.0 MB (weights 250.0 MB + kv 3.00 MB)", table);
        Assert.Contains("roofline reached       61 %", table);
    }
}
