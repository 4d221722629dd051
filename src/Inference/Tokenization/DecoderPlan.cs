namespace Appliance.Inference.Tokenization;

/// <summary>
/// A tokenizer.json decoder chain in the shape the streaming detokenizer runs: per-token text steps, then byte
/// grouping, then (after Fuse) a Strip of the whole output. Chains of another shape are rejected when loading.
/// </summary>
/// <param name="Steps">Per-token rewrites, in order.</param>
/// <param name="Grouping">Byte handling after the steps.</param>
/// <param name="OutputStrip">Strip applied to the fused output: the char and how many to drop at the start and end.</param>
/// <param name="JoinWithSpaces">No decoder at all: tokens are joined with spaces, as the reference does.</param>
internal sealed record DecoderPlan(
    IReadOnlyList<TokenTextStep> Steps,
    ByteGrouping Grouping,
    (char Content, int Start, int Stop)? OutputStrip,
    bool JoinWithSpaces);
