using System.Globalization;

namespace Appliance.Benchmarks;

/// <summary>Formats a <see cref="BenchmarkReport"/> as an aligned two-column table, llama-bench style.</summary>
internal static class BenchmarkTable
{
    public static string Format(BenchmarkReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        (string Name, string Value)[] rows =
        [
            ("model", report.Model),
            ("onnx runtime", $"{report.OrtVersion} ({report.OrtLibrary})"),
            ("threads", Invariant($"{report.Threads}")),
            ("kv cache", report.KvSharedBuffer ? "shared past/present buffer" : "present fed back as past"),
            ("prompt / generated", Invariant($"{report.PromptTokens} / {report.GenTokens} tokens, {report.Repetitions} runs")),
            ("prefill", Invariant($"{report.PrefillTokensPerS:F1} tokens/s")),
            ("decode", Invariant($"{report.DecodeTokensPerS:F2} tokens/s (median step {report.DecodeStepMedianMs:F2} ms)")),
            ("time to first token", Invariant($"{report.TtftMs:F1} ms")),
            ("peak rss", Invariant($"{report.PeakRssBytes / 1048576.0:F1} MiB ({report.RssOverModelBytes:F2} x weights {report.WeightBytes / 1048576.0:F1} MiB + kv cache {report.KvCacheBytes / 1048576.0:F1} MiB)")),
            ("managed alloc / token", Invariant($"{report.AllocBytesPerToken:F0} B")),
            ("read bandwidth", Invariant($"{report.BandwidthGbPerS:F2} GB/s ({report.Threads} threads, {report.BandwidthBufferBytes >> 20} MiB buffer)")),
            ("bytes / token", Invariant($"{report.BytesPerToken / 1e6:F1} MB (weights {report.WeightBytes / 1e6:F1} MB + kv {report.KvBytesPerToken / 1e6:F2} MB)")),
            ("decode roofline", Invariant($"{report.RooflineTokensPerS:F2} tokens/s")),
            ("roofline reached", Invariant($"{report.RooflineFraction * 100:F0} %")),
        ];
        if (report.Memory is { } memory)
        {
            rows = [.. rows, ("rss split", Invariant($"runtime {Mib(memory.RuntimeBytes)} + weights and session {Mib(memory.WeightsAndSessionBytes)} + generation {Mib(memory.GenerationBytes)} MiB (kv cache {Mib(memory.KvCacheResidentBytes)} resident of {Mib(memory.KvCacheAllocatedBytes)} MiB reserved)"))];
        }

        if (report.Structured is { } structured)
        {
            rows =
            [
                .. rows,
                ("json schema", structured.Schema),
                ("  vocabulary / compile", Invariant($"{structured.VocabularySize} tokens in {structured.VocabularyBuildMs:F0} ms (once per tokenizer) / {structured.CompileMs:F1} ms (once per schema)")),
                ("  constrained decode", Invariant($"{structured.DecodeTokensPerS:F2} tokens/s, {structured.CompleteOutputs}/{structured.Runs} outputs complete and valid")),
                ("  mask / token", Invariant($"{structured.MaskUsPerToken:F1} us mean, {structured.MaskMaxUs:F0} us max = {structured.MaskFractionOfStep * 100:F2} % of the decode step (first mask of a request: {structured.FirstMaskUs:F0} us)")),
                ("  managed alloc / token", Invariant($"{structured.AllocBytesPerToken:F0} B")),
            ];
        }

        var width = rows.Max(row => row.Name.Length);
        var table = string.Join(Environment.NewLine, rows.Select(row => $"{row.Name.PadRight(width)}  {row.Value}"));
        if (report.DecodeProfile is not { Count: > 0 } profile)
        {
            return table;
        }

        var operatorWidth = profile.Max(p => p.Operator.Length);
        var lines = profile.Select(p => Invariant($"  {p.Operator.PadRight(operatorWidth)}  {p.MillisecondsPerToken,8:F3} ms  {p.Share * 100,5:F1} %"));
        return string.Join(Environment.NewLine, [table, "decode time per token by operator (ONNX Runtime profile):", .. lines]);
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
