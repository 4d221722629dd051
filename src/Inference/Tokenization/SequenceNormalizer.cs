namespace Appliance.Inference.Tokenization;

/// <summary>Applies normalizers in order.</summary>
internal sealed class SequenceNormalizer(Normalizer[] normalizers) : Normalizer
{
    public override void Normalize(ReadOnlySpan<char> input, CharBuffer output, EncodeScratch scratch)
    {
        var current = scratch.RentChars();
        var next = scratch.RentChars();
        current.Append(input);
        foreach (var normalizer in normalizers)
        {
            next.Clear();
            normalizer.Normalize(current.Span, next, scratch);
            (current, next) = (next, current);
        }

        output.Append(current.Span);
        scratch.ReturnChars(next);
        scratch.ReturnChars(current);
    }
}
