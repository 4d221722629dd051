using System.Runtime.CompilerServices;
using Appliance.Inference.Tokenization;

namespace Appliance.Inference.Structured;

/// <summary>
/// What constrained decoding precomputes once per tokenizer: every token's bytes, a trie of all of them, and the
/// "plain" tokens — string content the JSON string lexer accepts from between two characters without closing the
/// string (well-formed UTF-8 and escapes, possibly ending inside one), which fit anywhere there — with their character counts, and a second trie
/// of the tokens that are not plain. Between characters of a string only that small second trie needs walking.
/// </summary>
public sealed class TokenVocabulary
{
    /// <summary>Plain tokens of up to this many characters have a ready bit set per count (for maxLength).</summary>
    internal const int ShortChars = 16;

    private static readonly ConditionalWeakTable<Tokenizer, TokenVocabulary> Cache = [];

    internal TokenVocabulary(byte[]?[] bytes)
    {
        Bytes = bytes;
        Plain = new ulong[(bytes.Length + 63) / 64];
        Whole = new ulong[Plain.Length];
        PlainChars = new int[bytes.Length];
        var plainIds = new List<int>(bytes.Length);
        for (var id = 0; id < bytes.Length; id++)
        {
            if (bytes[id] is { Length: > 0 } token && CountPlainChars(token, out var whole) is var chars and > 0)
            {
                Plain[id >> 6] |= 1UL << id;
                Whole[id >> 6] |= whole ? 1UL << id : 0;
                PlainChars[id] = chars;
                plainIds.Add(id);
            }
        }

        PlainUpTo = new ulong[ShortChars + 1][];
        for (var chars = 0; chars <= ShortChars; chars++)
        {
            PlainUpTo[chars] = new ulong[Plain.Length];
        }

        foreach (var id in plainIds)
        {
            for (var chars = PlainChars[id]; chars <= ShortChars; chars++)
            {
                PlainUpTo[chars][id >> 6] |= 1UL << id;
            }
        }

        LongPlainIds = [.. plainIds.Where(id => PlainChars[id] > ShortChars)];
        All = new TokenTrie(bytes, _ => true);
        NotPlain = new TokenTrie(bytes, id => (Plain[id >> 6] & (1UL << id)) == 0);
        NotWhole = new TokenTrie(bytes, id => (Whole[id >> 6] & (1UL << id)) == 0);
        Size = bytes.Length;
    }

    /// <summary>Token ids below this have entries.</summary>
    public int Size { get; }

    internal byte[]?[] Bytes { get; }

    internal TokenTrie All { get; }

    internal TokenTrie NotPlain { get; }

    /// <summary>The tokens that are not plain, or plain but end inside a character or escape.</summary>
    internal TokenTrie NotWhole { get; }

    /// <summary>Bit per id: the token is plain string content.</summary>
    internal ulong[] Plain { get; }

    /// <summary>Bit per id: the token is plain and ends between two characters.</summary>
    internal ulong[] Whole { get; }

    /// <summary>PlainUpTo[n]: bit per plain token of at most n characters, for n up to <see cref="ShortChars"/>.</summary>
    internal ulong[][] PlainUpTo { get; }

    /// <summary>Plain tokens of more than <see cref="ShortChars"/> characters.</summary>
    internal int[] LongPlainIds { get; }

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

    /// <summary>How many characters a token of plain string content starts, or 0 when it is not plain.</summary>
    private static int CountPlainChars(ReadOnlySpan<byte> token, out bool whole)
    {
        var state = JsonStringLexer.Body;
        var chars = 0;
        whole = false;
        foreach (var b in token)
        {
            state = JsonStringLexer.Step(state, b, out var startsChar);
            if (state < 0)
            {
                return 0;
            }

            chars += startsChar ? 1 : 0;
        }

        whole = state == JsonStringLexer.Body;
        return chars;
    }
}
