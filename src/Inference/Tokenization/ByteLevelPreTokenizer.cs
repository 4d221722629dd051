namespace Appliance.Inference.Tokenization;

/// <summary>
/// GPT-2 style byte-level pre-tokenization: optionally a leading space, optionally GPT-2's word split, then every
/// piece rewritten as its UTF-8 bytes in <see cref="ByteLevelAlphabet"/> characters.
/// </summary>
internal sealed class ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : PreTokenizer
{
    public override void PreTokenize(PreTokenizedText text)
    {
        text.BeginRewrite();
        var arena = text.Arena;
        for (var p = 0; p < text.Count; p++)
        {
            var piece = text.Piece(p);
            if (addPrefixSpace && (piece.IsEmpty || piece[0] != ' '))
            {
                var start = arena.Length;
                arena.Append(' ');
                arena.Append(piece);
                piece = arena.Span[start..];
            }

            if (!useRegex)
            {
                AppendBytePiece(text, piece);
                continue;
            }

            var position = 0;
            while (position < piece.Length && WordSplitPattern.Gpt2Pattern.TryFind(piece, position, out var matchStart, out var matchEnd))
            {
                AppendBytePiece(text, piece[position..matchStart]);
                AppendBytePiece(text, piece[matchStart..matchEnd]);
                position = matchEnd;
            }

            AppendBytePiece(text, piece[position..]);
        }

        text.EndRewrite();
    }

    private static void AppendBytePiece(PreTokenizedText text, ReadOnlySpan<char> piece)
    {
        if (piece.IsEmpty)
        {
            return;
        }

        var arena = text.Arena;
        var start = arena.Length;
        arena.EnsureFree(piece.Length * 3);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < piece.Length;)
        {
            var cp = UnicodeText.CodePointAt(piece, i, out var length);
            i += length;
            if (cp < 0x80)
            {
                arena.Append(ByteLevelAlphabet.ToChar((byte)cp));
                continue;
            }

            var count = Utf8Encoding.Encode(cp, utf8);
            for (var b = 0; b < count; b++)
            {
                arena.Append(ByteLevelAlphabet.ToChar(utf8[b]));
            }
        }

        text.AddPiece(start, arena.Length - start);
    }
}
