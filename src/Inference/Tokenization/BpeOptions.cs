namespace Appliance.Inference.Tokenization;

/// <summary>The BPE model's options from tokenizer.json that change its output.</summary>
/// <param name="UnknownToken">unk_token: what symbols outside the vocabulary become when byte fallback cannot help.</param>
/// <param name="ByteFallback">byte_fallback: unknown symbols become their UTF-8 bytes as &lt;0xNN&gt; tokens.</param>
/// <param name="FuseUnknown">fuse_unk: consecutive unknown tokens become one.</param>
/// <param name="IgnoreMerges">ignore_merges: a word that is itself in the vocabulary is not merged.</param>
internal sealed record BpeOptions(string? UnknownToken, bool ByteFallback, bool FuseUnknown, bool IgnoreMerges);
