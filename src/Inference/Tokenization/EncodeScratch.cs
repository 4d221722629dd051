namespace Appliance.Inference.Tokenization;

/// <summary>
/// Per-thread working memory for encoding. Once grown to the sizes the text needs, encoding stops allocating.
/// </summary>
internal sealed class EncodeScratch
{
    [ThreadStatic]
    private static EncodeScratch? t_current;

    private readonly Stack<CharBuffer> _freeChars = new();

    public static EncodeScratch ForCurrentThread() => t_current ??= new EncodeScratch();

    public List<int> CodePoints { get; } = [];

    public List<TextSection> RawSections { get; } = [];

    public List<TextSection> NormalizedSections { get; } = [];

    public CharBuffer NormalizedText { get; } = new();

    public PreTokenizedText PreTokens { get; } = new();

    public BpeWork Bpe { get; } = new();

    public CharBuffer RentChars()
    {
        if (_freeChars.TryPop(out var buffer))
        {
            buffer.Clear();
            return buffer;
        }

        return new CharBuffer();
    }

    public void ReturnChars(CharBuffer buffer) => _freeChars.Push(buffer);
}
