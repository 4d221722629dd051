namespace Appliance.Inference.Tokenization;

/// <summary>
/// Text cut into pieces by pre-tokenizers. Pieces are ranges of an append-only arena: splitting only makes new
/// ranges, rewriting (byte-level, metaspace) appends new text. Each pre-tokenizer reads the current pieces and
/// writes the next ones.
/// </summary>
internal sealed class PreTokenizedText
{
    private readonly CharBuffer _arena = new(1024);
    private List<(int Start, int Length)> _pieces = [];
    private List<(int Start, int Length)> _next = [];

    public int Count => _pieces.Count;

    /// <summary>Index in the section list of the text being pre-tokenized (Metaspace's "first" scheme needs it).</summary>
    public int SectionIndex { get; private set; }

    public void Reset(ReadOnlySpan<char> text, int sectionIndex)
    {
        _arena.Clear();
        _arena.Append(text);
        _pieces.Clear();
        _pieces.Add((0, text.Length));
        SectionIndex = sectionIndex;
    }

    public ReadOnlySpan<char> Piece(int index)
    {
        var (start, length) = _pieces[index];
        return _arena.Span.Slice(start, length);
    }

    /// <summary>Start of piece <paramref name="index"/> in the arena, for <see cref="AddPiece"/> of its sub-ranges.</summary>
    public int PieceStart(int index) => _pieces[index].Start;

    public void BeginRewrite() => _next.Clear();

    /// <summary>Adds a piece that is a range of existing arena text; empty pieces are dropped.</summary>
    public void AddPiece(int start, int length)
    {
        if (length > 0)
        {
            _next.Add((start, length));
        }
    }

    public CharBuffer Arena => _arena;

    public void EndRewrite() => (_pieces, _next) = (_next, _pieces);
}
