namespace Appliance.Inference.Tokenization;

/// <summary>
/// The post-processor's effect on a single sequence: ids put before and after it when special tokens are added
/// (TemplateProcessing's "single" template; ByteLevel post-processing changes only offsets, so adds nothing).
/// </summary>
internal sealed record SpecialTokenTemplate(int[] Prefix, int[] Suffix)
{
    public static SpecialTokenTemplate None { get; } = new([], []);

    /// <summary>This template applied around the output of <paramref name="inner"/> (a Sequence of post-processors).</summary>
    public SpecialTokenTemplate Wrap(SpecialTokenTemplate inner) => new([.. Prefix, .. inner.Prefix], [.. inner.Suffix, .. Suffix]);
}
