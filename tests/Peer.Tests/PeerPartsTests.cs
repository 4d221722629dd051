using System.Text.Json;
using Appliance.Benchmarks;
using Appliance.Benchmarks.Peer;
using Appliance.TestSupport;

namespace Appliance.Peer.Tests;

/// <summary>The comparison's own logic, without any engine: schedule, statistics, reports, command lines, table.</summary>
public sealed class PeerPartsTests
{
    private static readonly BenchmarkWorkload Workload = new("/models/s135-int4", Threads: 2, PromptTokens: 128, GenTokens: 64, Repetitions: 3);

    [Fact]
    public void Engines_alternate_ABAB_and_each_run_is_reported_as_it_finishes()
    {
        var started = new List<string>();
        var finished = new List<string>();

        var runs = Alternation.Run(["A", "B"], rounds: 3, engine =>
        {
            started.Add(engine);
            return Run(started.Count);
        }, (round, engine, run) => finished.Add($"{round}{engine}{run.PrefillTokensPerS}"));

        Assert.Equal(["A", "B", "A", "B", "A", "B"], started);
        Assert.Equal(["1A1", "1B2", "2A3", "2B4", "3A5", "3B6"], finished);
        Assert.Equal([1.0, 3, 5], runs[0].Select(run => run.PrefillTokensPerS));
        Assert.Equal([2.0, 4, 6], runs[1].Select(run => run.PrefillTokensPerS));
    }

    [Fact]
    public void A_spread_is_the_median_and_the_range()
    {
        Assert.Equal(new Spread(3, 1, 9), Spread.Of([9, 1, 3]));
        Assert.Equal(new Spread(2.5, 1, 4), Spread.Of([4, 1, 2, 3]));
        Assert.Equal(0.5, new Spread(10, 8, 13).RelativeRange, 9);
        Assert.Throws<ArgumentException>(() => Spread.Of([]));
    }

    [Fact]
    public void The_appliance_s_bench_json_is_read_into_a_run()
    {
        var report = new BenchmarkReport
        {
            Model = "m", OrtVersion = "1.32.0", OrtLibrary = "/build/libonnxruntime.so", Threads = 2, PromptTokens = 128, GenTokens = 64, Repetitions = 1, KvSharedBuffer = true,
            PrefillTokensPerS = 1290.5, DecodeTokensPerS = 234.25, DecodeStepMedianMs = 4.125, TtftMs = 99.5, PeakRssBytes = 334_000_000, KvCacheBytes = 1, AllocBytesPerToken = 0,
            BandwidthGbPerS = 70, BandwidthBufferBytes = 1, WeightBytes = 1, KvBytesPerToken = 1, BytesPerToken = 1, RooflineTokensPerS = 1, RooflineFraction = 1,
        };

        var run = EngineRun.FromApplianceJson(JsonSerializer.Serialize(report, BenchmarkJsonContext.Default.BenchmarkReport));

        Assert.Equal(new EngineRun(1290.5, 234.25, 4.125, 99.5, 334_000_000, "ONNX Runtime 1.32.0"), run);
    }

    [Fact]
    public void Each_engine_runs_one_measured_run_per_process_with_the_same_workload()
    {
        var appliance = PeerEngine.Appliance("/opt/appliance", Workload);
        var genai = PeerEngine.GenAi("/bin/Appliance.Benchmarks.dll", Workload);

        string[] common = ["--model", "/models/s135-int4", "--threads", "2", "--prompt-tokens", "128", "--gen-tokens", "64", "--repetitions", "1"];
        Assert.Equal(["bench", .. common, "--bandwidth-mib", "32", "--json"], appliance.Arguments);
        Assert.Equal(["genai", .. common], genai.Arguments);
        Assert.Equal("/opt/appliance", appliance.Program);
    }

    [Fact]
    public void The_table_shows_both_engines_side_by_side_with_the_ratio_of_medians()
    {
        var comparison = new PeerComparison(
            Workload,
            PeerEngine.Appliance("/opt/appliance", Workload),
            PeerEngine.GenAi("/bin/Appliance.Benchmarks.dll", Workload),
            [new(1300, 230, 4.3, 100, 300L << 20, "ONNX Runtime 1.32.0"), new(1200, 240, 4.1, 110, 302L << 20, "ONNX Runtime 1.32.0"), new(1250, 235, 4.2, 105, 301L << 20, "ONNX Runtime 1.32.0")],
            [new(1000, 200, 5.0, 130, 400L << 20, "GenAI 0.20.0, /lib/libonnxruntime.so"), new(1000, 190, 5.2, 125, 400L << 20, "GenAI 0.20.0, /lib/libonnxruntime.so"), new(1100, 210, 4.8, 120, 401L << 20, "GenAI 0.20.0, /lib/libonnxruntime.so")]);

        var lines = PeerTable.Format(comparison).Split(Environment.NewLine);

        Assert.Equal(
        [
            "model              /models/s135-int4",
            "workload           2 threads, prompt 128 tokens, 64 generated; 3 rounds ABAB, one process per run (own warm-up, own peak RSS)",
            "appliance          /opt/appliance bench (on ONNX Runtime 1.32.0)",
            "onnxruntime-genai  dotnet /bin/Appliance.Benchmarks.dll genai (on GenAI 0.20.0, /lib/libonnxruntime.so)",
            "",
            "                         appliance                onnxruntime-genai        appliance / onnxruntime-genai",
            "prefill (tokens/s)       1250.0 [1200.0, 1300.0]  1000.0 [1000.0, 1100.0]  1.25",
            "decode (tokens/s)        235.0 [230.0, 240.0]     200.0 [190.0, 210.0]     1.18",
            "decode step median (us)  4200.0 [4100.0, 4300.0]  5000.0 [4800.0, 5200.0]  0.84",
            "TTFT (ms)                105.0 [100.0, 110.0]     125.0 [120.0, 130.0]     0.84",
            "peak RSS (MiB)           301.0 [300.0, 302.0]     400.0 [400.0, 401.0]     0.75",
            "median [min, max] over the rounds; the last column divides the medians",
        ],
            lines);
    }

    [Fact]
    public void The_appliance_is_the_one_named_else_the_first_built_candidate()
    {
        using var directory = new TempDirectory("appliance-binary");
        var aot = directory.Combine("aot-appliance");
        var jit = directory.Combine("appliance.dll");
        File.WriteAllText(jit, string.Empty);

        Assert.Equal(jit, ApplianceBinary.Choose(null, [aot, jit]));
        File.WriteAllText(aot, string.Empty);
        Assert.Equal(aot, ApplianceBinary.Choose(null, [aot, jit]));
        Assert.Equal(jit, ApplianceBinary.Choose(jit, [aot]));
        Assert.Throws<FileNotFoundException>(() => ApplianceBinary.Choose(directory.Combine("missing"), [aot]));
        var none = Assert.Throws<FileNotFoundException>(() => ApplianceBinary.Choose(null, [directory.Combine("a"), directory.Combine("b")]));
        Assert.Contains("pass --appliance", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_engines_run_without_telemetry_on_the_onnx_runtime_of_this_build()
    {
        var environment = EngineEnvironment.Create("/build", _ => null);

        Assert.Equal("1", environment["ORT_DISABLE_TELEMETRY"]);
        Assert.Matches("^/build/runtimes/linux-(x64|arm64)/native/libonnxruntime.so$", environment["APPLIANCE_ORT_LIBRARY"]);
    }

    [Fact]
    public void An_onnx_runtime_the_user_chose_for_the_appliance_is_kept()
    {
        var environment = EngineEnvironment.Create("/build", name => name == "APPLIANCE_ORT_LIBRARY" ? "/opt/ort/libonnxruntime.so.1" : null);

        Assert.False(environment.ContainsKey("APPLIANCE_ORT_LIBRARY"));
        Assert.Equal("1", environment["ORT_DISABLE_TELEMETRY"]);
    }

    [Fact]
    public void The_threads_overlay_sets_genai_config_s_intra_op_threads()
    {
        using var overlay = JsonDocument.Parse(GenAiModels.ThreadsOverlay(3));

        Assert.Equal(3, overlay.RootElement.GetProperty("model").GetProperty("decoder").GetProperty("session_options").GetProperty("intra_op_num_threads").GetInt32());
    }

    private static EngineRun Run(double value) => new(value, value, value, value, (long)value, "test");
}
