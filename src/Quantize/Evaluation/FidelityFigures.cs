namespace Appliance.Quantize.Evaluation;

/// <summary>How closely a candidate model's next-token distributions follow a reference's over a text.</summary>
/// <param name="Positions">Positions scored.</param>
/// <param name="LogPerplexityRatio">ln(PPL(candidate) / PPL(reference)): mean difference of the two negative log-likelihoods.</param>
/// <param name="MeanKl">Mean KL(reference || candidate) per position, in nats.</param>
/// <param name="TopOneAgreement">Fraction of positions where both models' most likely token is the same.</param>
/// <param name="RmsProbabilityChange">Root mean square of p_candidate(next) - p_reference(next), as a fraction.</param>
internal sealed record FidelityFigures(
    int Positions,
    double ReferencePerplexity,
    double CandidatePerplexity,
    double LogPerplexityRatio,
    double MeanKl,
    double MeanKlStandardError,
    double MedianKl,
    double P99Kl,
    double MaxKl,
    double TopOneAgreement,
    double RmsProbabilityChange);
