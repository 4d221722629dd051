namespace Appliance.Inference.Tokenization;

/// <summary>
/// SentencePiece-style pre-tokenization: spaces become the replacement character ("▁"), which is also put in front
/// per the prepend scheme; with split, pieces are then cut before each replacement character (as the Rust crate does;
/// the reference JavaScript ignores split).
/// </summary>
internal sealed class MetaspacePreTokenizer(char replacement, MetaspacePrependScheme prependScheme, bool split) : PreTokenizer
{
    private readonly SplitPreTokenizer _splitter = new(new LiteralSplitPattern(replacement.ToString()), SplitBehavior.MergedWithNext);

    public override void PreTokenize(PreTokenizedText text)
    {
        text.BeginRewrite();
        var arena = text.Arena;
        for (var p = 0; p < text.Count; p++)
        {
            var piece = text.Piece(p);
            var start = arena.Length;
            var prepend = prependScheme == MetaspacePrependScheme.Always
                || (prependScheme == MetaspacePrependScheme.First && p == 0 && text.SectionIndex == 0);
            if (prepend && (piece.IsEmpty || piece[0] is not ' ' && piece[0] != replacement))
            {
                arena.Append(replacement);
            }

            arena.EnsureFree(piece.Length);
            foreach (var c in piece)
            {
                arena.Append(c == ' ' ? replacement : c);
            }

            text.AddPiece(start, arena.Length - start);
        }

        text.EndRewrite();
        if (split)
        {
            _splitter.PreTokenize(text);
        }
    }
}
