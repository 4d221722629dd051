namespace Appliance.Inference.Tokenization;

/// <summary>A tokenizer.json pre-tokenizer: cuts (and may rewrite) every current piece of the text.</summary>
internal abstract class PreTokenizer
{
    public abstract void PreTokenize(PreTokenizedText text);
}
