using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Synthetic;

/// <summary>
/// A named model geometry for synthetic random-weight checkpoints. Token ids (bos/eos/pad) and, with a real
/// tokenizer, the vocabulary size are filled in when the tokenizer is chosen.
/// </summary>
public sealed record SyntheticShape(string Name, string Description, HfModelConfig Config);
