namespace Appliance.Quantize.Synthetic;

/// <summary>The wording every generated file carries so nobody mistakes a synthetic checkpoint for a trained one.</summary>
public static class SyntheticNotice
{
    public const string Weights = "random weights, not a trained model";

    public static string Describe(SyntheticShape shape, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return $"Synthetic {shape.Name} checkpoint (seed {seed}) written by `quantize synth`: {Weights}. It exists to test the toolchain; its output is meaningless text.";
    }
}
