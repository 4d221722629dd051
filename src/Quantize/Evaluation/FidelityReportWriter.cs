using System.Globalization;
using System.Text.RegularExpressions;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Evaluation;

/// <summary>Formats a <see cref="FidelityResult"/> as the text `quantize eval` prints.</summary>
internal static partial class FidelityReportWriter
{
    public static void Write(FidelityResult result, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(output);
        var f = result.Figures;
        var options = result.Options;
        var recipe = result.CandidateRecipe.TryGetValue("precision", out var precision)
            ? string.Join(", ", new[] { precision, Entry(result, "block_size", "block "), Entry(result, "method", ""), Entry(result, "embeddings", "embeddings "), Entry(result, "lm_head", "lm_head ") }.Where(s => s.Length > 0))
            : "not recorded";
        (string Name, string Value)[] rows =
        [
            ("reference", options.ReferenceDirectory),
            ("candidate", $"{options.CandidateDirectory} ({recipe})"),
            ("text", options.TextPath),
            ("positions scored", Invariant($"{f.Positions} (second half of {result.Windows} windows of {result.Window} tokens)")),
            ("logits per run", $"reference {Mode(result.ReferenceBatched)}, candidate {Mode(result.CandidateBatched)}"),
            ("perplexity", Invariant($"reference {f.ReferencePerplexity:F4}, candidate {f.CandidatePerplexity:F4}, ln(PPL(Q)/PPL(ref)) {f.LogPerplexityRatio:F6}")),
            ("KL divergence", Invariant($"mean {f.MeanKl:F6} ± {f.MeanKlStandardError:F6}, median {f.MedianKl:F6}, p99 {f.P99Kl:F6}, max {f.MaxKl:F6} (nats)")),
            ("top-1 agreement", Invariant($"{f.TopOneAgreement * 100:F2} %")),
            ("RMS Δp", Invariant($"{f.RmsProbabilityChange * 100:G3} % (change in the next token's probability)")),
            ("time in runtime", Invariant($"reference {result.ReferenceTime.TotalSeconds:F1} s, candidate {result.CandidateTime.TotalSeconds:F1} s")),
        ];
        var width = rows.Max(r => r.Name.Length);
        foreach (var (name, value) in rows)
        {
            output.WriteLine($"{name.PadRight(width)}  {value}");
        }

        if (result.SyntheticNotice is { } notice)
        {
            output.WriteLine();
            output.WriteLine(
                $"Note: these models were converted from a synthetic checkpoint ({notice}). The figures measure how far the "
                + "quantizer moves the outputs, not the quality of a trained model; perplexity on random weights is meaningless.");
        }

        if (result.WeightErrors is { Tensors.Count: > 0 } report)
        {
            output.WriteLine();
            WriteWeightErrors(report, output);
        }
    }

    /// <summary>The per-layer relative reconstruction error table: one row per layer, one column per projection.</summary>
    public static void WriteWeightErrors(QuantizationReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("weight reconstruction error from convert (||W - deq(W)||_F / ||W||_F):");
        var layered = report.Tensors
            .Select(t => (Tensor: t, Match: LayerTensor().Match(t.Tensor)))
            .Where(x => x.Match.Success)
            .Select(x => (Layer: int.Parse(x.Match.Groups[1].Value, CultureInfo.InvariantCulture), Projection: x.Match.Groups[2].Value, x.Tensor))
            .ToList();
        var projections = layered.Select(x => x.Projection).Distinct().ToList();
        if (projections.Count > 0)
        {
            const int Column = 14;
            output.WriteLine("layer " + string.Concat(projections.Select(p => p.PadLeft(Column))));
            foreach (var layer in layered.GroupBy(x => x.Layer).OrderBy(g => g.Key))
            {
                var cells = projections.Select(p => layer.FirstOrDefault(x => x.Projection == p).Tensor is { } t ? Invariant($"{t.RelativeError * 100:F2} %") : "-");
                output.WriteLine(layer.Key.ToString(CultureInfo.InvariantCulture).PadLeft(5) + " " + string.Concat(cells.Select(c => c.PadLeft(Column))));
            }
        }

        foreach (var tensor in report.Tensors.Where(t => !LayerTensor().IsMatch(t.Tensor)))
        {
            output.WriteLine(Invariant($"{tensor.Tensor}: {tensor.Format} [{tensor.Rows} x {tensor.Columns}], {tensor.RelativeError * 100:F2} %, max |error| {tensor.MaxAbsError:G4}"));
        }
    }

    private static string Entry(FidelityResult result, string key, string label) =>
        result.CandidateRecipe.TryGetValue(key, out var value) ? label + value : string.Empty;

    private static string Mode(bool batched) => batched ? "all positions" : "one position (last-position graph)";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^model\.layers\.(\d+)\.(?:self_attn|mlp)\.(\w+)$")]
    private static partial Regex LayerTensor();
}
