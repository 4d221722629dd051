namespace Appliance.Quantize.Synthetic;

/// <summary>How a synthetic tensor is filled.</summary>
public enum WeightInitialization
{
    /// <summary>N(0, 0.02).</summary>
    Normal,

    /// <summary>All ones (RMSNorm weights).</summary>
    Ones,

    /// <summary>1 + N(0, 0.1): norm weights that differ from the identity.</summary>
    NoisyOnes,
}
