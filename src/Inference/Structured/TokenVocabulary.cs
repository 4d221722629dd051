using System.Runtime.CompilerServices;
using Appliance.Inference.Tokenization;

namespace Appliance.Inference.Structured;

/// <summary>
/// What constrained decoding precomputes once per tokenizer: every token's bytes, a trie of all of them, and the
/// "plain" tokens — whole UTF-8 characters with no quote, backslash or control character, which fit anywhere inside a
/// string — with their character counts and a second trie of the tokens that are not plain. Inside a string only the
/// small second trie needs walking.
/// </summary>
public sealed class TokenVocabulary
{
    private static readonly ConditionalWeakTable<Tokenizer, TokenVocabulary> Cache = [];

    internal TokenVocabulary(byte[]?[] bytes)
    {
        Bytes = bytes;
        Plain = new ulong[(bytes.Length + 63) / 64];
        PlainChars = new int[bytes.Length];
        var plainIds = new List<int>();
        for (var id = 0; id < bytes.Length; id++)
        {
            if (bytes[id] is { Length: > 0 } token && CountPlainChars(token) is var chars and > 0)
            {
                Plain[id >> 6] |= 1UL << id;
                PlainChars[id] = chars;
                plainIds.Add(id);
            }
        }

        PlainIds = [.. plainIds];
        All = new TokenTrie(bytes, _ => true);
        NotPlain = new TokenTrie(bytes, id => (Plain[id >> 6] & (1UL << id)) == 0);
        Size = bytes.Length;
    }

    /// <summary>Token ids below this have entries.</summary>
    public int Size { get; }

    internal byte[]?[] Bytes { get; }

    internal TokenTrie All { get; }

    internal TokenTrie NotPlain { get; }

    /// <summary>Bit per id: the token is plain string content.</summary>
    internal ulong[] Plain { get; }

    internal int[] PlainIds { get; }

    /// <summary>Characters per plain token (0 for the others).</summary>
    internal int[] PlainChars { get; }

    /// <summary>The vocabulary of <paramref name="tokenizer"/>, built on first use and kept while the tokenizer lives.</summary>
    /// <exception cref="NotSupportedException">The tokenizer's tokens have no bytes of their own.</exception>
    public static TokenVocabulary For(Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return Cache.GetValue(tokenizer, Build);
    }

    private static TokenVocabulary Build(Tokenizer tokenizer)
    {
        var bytes = new byte[]?[tokenizer.VocabularySize];
        for (var id = 0; id < bytes.Length; id++)
        {
            bytes[id] = tokenizer.TokenBytes(id);
        }

        return new TokenVocabulary(bytes);
    }

    /// <summary>How many characters a token of plain string content holds, or 0 when it is not plain.</summary>
    private static int CountPlainChars(ReadOnlySpan<byte> token)
    {
        var state = JsonStringLexer.Body;
        var chars = 0;
        foreach (var b in token)
        {
            if (b is (byte)'"' or (byte)'\\')
            {
                return 0;
            }

            state = JsonStringLexer.Step(state, b, out var startsChar);
            if (state < 0)
            {
                return 0;
            }

            chars += startsChar ? 1 : 0;
        }

        return state == JsonStringLexer.Body ? chars : 0;
    }
}
