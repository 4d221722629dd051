namespace Appliance.Inference.Tokenization;

/// <summary>
/// A token from tokenizer.json's <c>added_tokens</c>: matched in the text before the model runs.
/// </summary>
/// <param name="Id">The token id.</param>
/// <param name="Content">The exact text that becomes this token.</param>
/// <param name="Special">Special tokens (BOS, EOS, chat markers) are dropped by decoding with skipSpecialTokens.</param>
/// <param name="SingleWord">Only match when not adjacent to word characters.</param>
/// <param name="LStrip">Swallow whitespace on the left.</param>
/// <param name="RStrip">Swallow whitespace on the right.</param>
/// <param name="Normalized">Match against the normalized text instead of the raw text.</param>
public sealed record AddedToken(int Id, string Content, bool Special, bool SingleWord, bool LStrip, bool RStrip, bool Normalized);
