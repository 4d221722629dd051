namespace Appliance.Quantize.Synthetic;

/// <summary>What the model config needs from a tokenizer: the id space (max id + 1) and the special token ids.</summary>
public sealed record TokenizerIds(int VocabSize, int? BosTokenId, int[] EosTokenIds, int? PadTokenId);
