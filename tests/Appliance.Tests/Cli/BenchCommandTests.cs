using System.Text.Json;

namespace Appliance.Tests.Cli;

public sealed class BenchCommandTests(TinyModelFixture model) : IClassFixture<TinyModelFixture>
{
    [Fact]
    public async Task Json_report_has_every_measurement_and_no_managed_allocation_per_token()
    {
        var run = await CliRun.InvokeAsync(
            "bench", "--model", model.ModelPath, "--prompt-tokens", "16", "--gen-tokens", "12", "--repetitions", "2", "--threads", "1", "--bandwidth-mib", "16", "--json");

        Assert.Equal(0, run.ExitCode);
        Assert.Empty(run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var report = json.RootElement;
        foreach (var field in new[] { "prefill_tokens_per_s", "decode_tokens_per_s", "decode_step_median_ms", "ttft_ms", "bandwidth_gb_per_s", "roofline_tokens_per_s", "roofline_fraction", "bytes_per_token" })
        {
            Assert.True(report.GetProperty(field).GetDouble() > 0, $"{field} should be positive");
        }

        Assert.True(report.GetProperty("peak_rss_bytes").GetInt64() > 1 << 20);
        Assert.True(report.GetProperty("kv_cache_bytes").GetInt64() > 0);
        var memory = report.GetProperty("memory");
        Assert.True(memory.GetProperty("runtime_bytes").GetInt64() > 1 << 20);
        Assert.Equal(report.GetProperty("peak_rss_bytes").GetInt64(), memory.GetProperty("peak_bytes").GetInt64());
        Assert.Equal(
            memory.GetProperty("peak_bytes").GetInt64(),
            memory.GetProperty("runtime_bytes").GetInt64() + memory.GetProperty("weights_and_session_bytes").GetInt64() + memory.GetProperty("generation_bytes").GetInt64());
        Assert.Equal(report.GetProperty("kv_cache_bytes").GetInt64(), memory.GetProperty("kv_cache_allocated_bytes").GetInt64());
        Assert.True(memory.GetProperty("kv_cache_resident_bytes").GetInt64() > 0);
        Assert.True(report.GetProperty("rss_over_model_bytes").GetDouble() > 1);
        Assert.Equal(0, report.GetProperty("alloc_bytes_per_token").GetDouble());
        Assert.Equal(1, report.GetProperty("threads").GetInt32());
        Assert.Equal(16L << 20, report.GetProperty("bandwidth_buffer_bytes").GetInt64());
        Assert.Equal(
            new FileInfo(Path.Combine(model.ModelPath, "model.onnx")).Length + new FileInfo(Path.Combine(model.ModelPath, "model.onnx.data")).Length,
            report.GetProperty("weight_bytes").GetInt64());
        Assert.Equal(
            report.GetProperty("decode_tokens_per_s").GetDouble() / report.GetProperty("roofline_tokens_per_s").GetDouble(),
            report.GetProperty("roofline_fraction").GetDouble(),
            9);
    }

    [Fact]
    public async Task Table_report_lists_the_measurements()
    {
        var run = await CliRun.InvokeAsync(
            "bench", "--model", model.ModelPath, "--prompt-tokens", "8", "--gen-tokens", "4", "--repetitions", "1", "--threads", "1", "--bandwidth-mib", "8");

        Assert.Equal(0, run.ExitCode);
        foreach (var row in new[] { "prefill", "decode", "time to first token", "peak rss", "managed alloc / token", "read bandwidth", "decode roofline", "roofline reached" })
        {
            Assert.Contains(Environment.NewLine + row + " ", run.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Profile_option_writes_onnx_runtime_s_trace_and_names_it()
    {
        var prefix = model.Combine("bench-profile");

        var run = await CliRun.InvokeAsync(
            "bench", "--model", model.ModelPath, "--prompt-tokens", "4", "--gen-tokens", "3", "--repetitions", "1", "--threads", "1", "--bandwidth-mib", "8", "--profile", prefix);

        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("profile: ", line, StringComparison.Ordinal);
        var path = line["profile: ".Length..].Trim();
        Assert.StartsWith("bench-profile", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.Contains("\"GroupQueryAttention\"", File.ReadAllText(path), StringComparison.Ordinal);
        Assert.Contains(Environment.NewLine + "decode time per token by operator (ONNX Runtime profile):" + Environment.NewLine, run.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n  GroupQueryAttention +\d+\.\d{3} ms +\d+\.\d %", run.Output);
        Assert.Matches(@"\n  \(outside kernels\) +\d+\.\d{3} ms +\d+\.\d %", run.Output);
    }

    [Theory]
    [InlineData("--gen-tokens", "0", "error: --gen-tokens must be at least 1, got 0.")]
    [InlineData("--session-config", "session.disable_prepacking", "error: --session-config takes KEY=VALUE, got \"session.disable_prepacking\".")]
    [InlineData("--prompt-tokens", "90", "error: prompt (90 tokens) + max new tokens (64) = 154 exceeds the model's maximum sequence length of 96.")]
    public async Task Impossible_sizes_are_one_error_line(string option, string value, string message)
    {
        var run = await CliRun.InvokeAsync("bench", "--model", model.ModelPath, "--threads", "1", option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal([message], run.ErrorLines);
    }

    [Fact]
    public async Task Session_config_entries_reach_onnx_runtime()
    {
        // Telling ONNX Runtime the .onnx file is in ORT format can only fail if the entry reached the session.
        var run = await CliRun.InvokeAsync(
            "bench", "--model", model.ModelPath, "--threads", "1", "--gen-tokens", "2", "--prompt-tokens", "4", "--repetitions", "1", "--bandwidth-mib", "16", "--session-config", "session.load_model_format=ORT");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("ONNX Runtime cannot load", run.Error, StringComparison.Ordinal);
    }
}
