using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Evaluation;

/// <summary>The figures of one evaluation and how they were obtained.</summary>
/// <param name="Window">Tokens per window actually used.</param>
/// <param name="Windows">Windows scored.</param>
/// <param name="ReferenceBatched">The reference's graph returned every position's logits per run (else one position per run).</param>
/// <param name="SyntheticNotice">Set when either model was converted from a synthetic random-weight checkpoint: what its manifest says.</param>
/// <param name="WeightErrors">The candidate's quantization_report.json, when it has one.</param>
internal sealed record FidelityResult(
    FidelityOptions Options,
    FidelityFigures Figures,
    int Window,
    int Windows,
    bool ReferenceBatched,
    bool CandidateBatched,
    TimeSpan ReferenceTime,
    TimeSpan CandidateTime,
    IReadOnlyDictionary<string, string> CandidateRecipe,
    string? SyntheticNotice,
    QuantizationReport? WeightErrors);
