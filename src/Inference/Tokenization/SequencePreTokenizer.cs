namespace Appliance.Inference.Tokenization;

/// <summary>Applies pre-tokenizers in order, each to all the pieces the previous one produced.</summary>
internal sealed class SequencePreTokenizer(PreTokenizer[] preTokenizers) : PreTokenizer
{
    public override void PreTokenize(PreTokenizedText text)
    {
        foreach (var preTokenizer in preTokenizers)
        {
            preTokenizer.PreTokenize(text);
        }
    }
}
