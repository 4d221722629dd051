namespace Appliance.Inference.Generation;

/// <summary>A token still in the running after top-k/top-p filtering, with its renormalised probability.</summary>
public readonly record struct SamplerCandidate(int TokenId, float Logit, double Probability);
