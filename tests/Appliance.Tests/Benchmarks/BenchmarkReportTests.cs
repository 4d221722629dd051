using System.Text.Json;
using Appliance.Benchmarks;

namespace Appliance.Tests.Benchmarks;

public sealed class BenchmarkReportTests
{
    private static readonly BenchmarkReport Report = new()
    {
        Model = "/models/m",
        OrtVersion = "1.30.0",
        Threads = 4,
        PromptTokens = 128,
        GenTokens = 64,
        Repetitions = 3,
        KvSharedBuffer = true,
        PrefillTokensPerS = 512.4,
        DecodeTokensPerS = 20.5,
        TtftMs = 250,
        PeakRssBytes = 300L << 20,
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
        Assert.Equal(250, root.GetProperty("ttft_ms").GetDouble());
        Assert.Equal(300L << 20, root.GetProperty("peak_rss_bytes").GetInt64());
        Assert.Equal(0, root.GetProperty("alloc_bytes_per_token").GetDouble());
        Assert.Equal(8.5, root.GetProperty("bandwidth_gb_per_s").GetDouble());
        Assert.Equal(33.6, root.GetProperty("roofline_tokens_per_s").GetDouble());
        Assert.Equal(0.61, root.GetProperty("roofline_fraction").GetDouble());
        Assert.True(root.GetProperty("kv_shared_buffer").GetBoolean());
    }

    [Fact]
    public void Table_shows_each_measurement_with_its_unit()
    {
        var table = BenchmarkTable.Format(Report).Split(Environment.NewLine);

        Assert.Contains("prefill                512.4 tokens/s", table);
        Assert.Contains("decode                 20.50 tokens/s", table);
        Assert.Contains("time to first token    250.0 ms", table);
        Assert.Contains("peak rss               300.0 MiB", table);
        Assert.Contains("read bandwidth         8.50 GB/s (4 threads, 256 MiB buffer)", table);
        Assert.Contains("bytes / token          253.0 MB (weights 250.0 MB + kv 3.00 MB)", table);
        Assert.Contains("roofline reached       61 %", table);
    }
}
