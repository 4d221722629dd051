using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// Byte-pair encoding over the vocabulary's own alphabet: a word is split into code points, then the adjacent pair
/// with the lowest merge rank is merged (leftmost on ties) until none is left. Symbols missing from the vocabulary
/// become byte-fallback tokens (&lt;0xNN&gt;) or the unknown token. Results for short words are cached.
/// </summary>
internal sealed class BpeModel
{
    private const int Dead = int.MinValue;
    private const int MaxCachedWordLength = 256;
    private const int CacheCapacity = 100_000;
    private const char WordMarker = '\u2581';
    private const int SegmentWordsLongerThan = 32;

    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _vocabulary;
    private readonly int[] _bmpSymbols = new int[65536];
    private readonly Dictionary<int, int> _astralSymbols = [];
    private readonly Dictionary<long, int> _pairRanks;
    private readonly int[] _mergedIds;
    private readonly int[]? _byteTokens;
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private readonly (string Token, int Offset)[] _markerSpanningTokens;
    private int _cacheCount;

    /// <param name="vocabulary">Token text to id: the model's vocabulary with the added tokens laid over it.</param>
    /// <param name="merges">Merge rules in rank order, as ids.</param>
    /// <param name="options">byte_fallback, unk_token, fuse_unk, ignore_merges.</param>
    /// <param name="source">Names the file in error messages.</param>
    public BpeModel(Dictionary<string, int> vocabulary, List<(int Left, int Right, int Merged)> merges, BpeOptions options, string source)
    {
        _vocabulary = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        Options = options;
        Array.Fill(_bmpSymbols, -1);
        foreach (var (text, id) in vocabulary)
        {
            if (text.Length == 1)
            {
                _bmpSymbols[text[0]] = id;
            }
            else if (text.Length == 2 && char.IsSurrogatePair(text[0], text[1]))
            {
                _astralSymbols[char.ConvertToUtf32(text[0], text[1])] = id;
            }
        }

        _pairRanks = new Dictionary<long, int>(merges.Count);
        _mergedIds = new int[merges.Count];
        for (var rank = 0; rank < merges.Count; rank++)
        {
            var (left, right, merged) = merges[rank];
            _mergedIds[rank] = merged;

            // A pair listed twice keeps its last rank, as in the reference.
            _pairRanks[PairKey(left, right)] = rank;
        }

        _markerSpanningTokens = [.. MarkerSpanningTokens(vocabulary.Keys)];
        if (options.UnknownToken is { } unknown)
        {
            UnknownId = vocabulary.TryGetValue(unknown, out var unknownId)
                ? unknownId
                : throw new TokenizerFormatException($"{source}: model.unk_token '{unknown}' is not in model.vocab.");
        }

        if (options.ByteFallback)
        {
            _byteTokens = new int[256];
            for (var b = 0; b < 256; b++)
            {
                _byteTokens[b] = vocabulary.TryGetValue($"<0x{b:X2}>", out var byteId) ? byteId : -1;
            }
        }
    }

    public BpeOptions Options { get; }

    /// <summary>The unknown token's id, or -1 without one.</summary>
    public int UnknownId { get; } = -1;

    /// <summary>Appends the ids of one pre-tokenized word.</summary>
    public void Tokenize(ReadOnlySpan<char> word, List<int> output, BpeWork work)
    {
        if (word.IsEmpty)
        {
            return;
        }

        if (Options.IgnoreMerges && _vocabulary.TryGetValue(word, out var whole))
        {
            output.Add(whole);
            return;
        }

        if (word.Length <= SegmentWordsLongerThan)
        {
            TokenizeSegment(word, output, work);
            return;
        }

        // SentencePiece-style text comes as long runs of words joined by "▁". No merge can join across a "▁" that
        // follows another character unless some vocabulary token spans that spot, so the words can be merged
        // separately, and cached, with the same result.
        var start = 0;
        for (var i = 1; i < word.Length; i++)
        {
            if (word[i] == WordMarker && word[i - 1] != WordMarker && !IsSpannedByToken(word, i))
            {
                TokenizeSegment(word[start..i], output, work);
                start = i;
            }
        }

        TokenizeSegment(word[start..], output, work);
    }

    private void TokenizeSegment(ReadOnlySpan<char> segment, List<int> output, BpeWork work)
    {
        var cacheable = segment.Length < MaxCachedWordLength;
        if (cacheable && _cacheBySpan.TryGetValue(segment, out var cached))
        {
            output.AddRange(cached);
            return;
        }

        var start = output.Count;
        Merge(segment, output, work);
        if (cacheable)
        {
            AddToCache(segment, CollectionsMarshal.AsSpan(output)[start..]);
        }
    }

    /// <summary>Vocabulary tokens with a "▁" right after another character, and where that "▁" is.</summary>
    private static IEnumerable<(string Token, int Offset)> MarkerSpanningTokens(IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            for (var k = 1; k < token.Length; k++)
            {
                if (token[k] == WordMarker && token[k - 1] != WordMarker)
                {
                    yield return (token, k);
                }
            }
        }
    }

    private bool IsSpannedByToken(ReadOnlySpan<char> word, int marker)
    {
        foreach (var (token, offset) in _markerSpanningTokens)
        {
            var start = marker - offset;
            if (start >= 0 && start + token.Length <= word.Length && word.Slice(start, token.Length).SequenceEqual(token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>fuse_unk: runs of unknown tokens in <paramref name="ids"/>[<paramref name="from"/>..] become one.</summary>
    public void FuseUnknown(List<int> ids, int from)
    {
        if (!Options.FuseUnknown || UnknownId < 0)
        {
            return;
        }

        var count = from;
        for (var i = from; i < ids.Count; i++)
        {
            if (ids[i] == UnknownId && count > from && ids[count - 1] == UnknownId)
            {
                continue;
            }

            ids[count++] = ids[i];
        }

        ids.RemoveRange(count, ids.Count - count);
    }

    private static long PairKey(int left, int right) => ((long)left << 32) | (uint)right;

    private int SymbolId(int codePoint) =>
        codePoint < 0x10000 ? _bmpSymbols[codePoint] : _astralSymbols.GetValueOrDefault(codePoint, -1);

    private void Merge(ReadOnlySpan<char> word, List<int> output, BpeWork work)
    {
        work.EnsureSymbols(word.Length);
        var ids = work.Ids;
        var codePoints = work.CodePoints;
        var previous = work.Previous;
        var next = work.Next;
        var count = 0;
        for (var i = 0; i < word.Length; count++)
        {
            var cp = UnicodeText.CodePointAt(word, i, out var length);
            i += length;
            codePoints[count] = cp;
            ids[count] = SymbolId(cp);
            previous[count] = count - 1;
            next[count] = count + 1;
        }

        next[count - 1] = -1;
        work.ClearHeap();
        for (var k = 0; k < count - 1; k++)
        {
            QueuePair(work, k);
        }

        while (!work.HeapIsEmpty)
        {
            var key = work.Pop();
            var rank = (int)(key >> 32);
            var position = (int)key;
            var right = next[position];
            if (ids[position] < 0 || right < 0 || ids[right] < 0
                || !_pairRanks.TryGetValue(PairKey(ids[position], ids[right]), out var current) || current != rank)
            {
                continue;
            }

            ids[position] = _mergedIds[rank];
            ids[right] = Dead;
            var after = next[right];
            next[position] = after;
            if (after >= 0)
            {
                previous[after] = position;
                QueuePair(work, position);
            }

            if (previous[position] >= 0)
            {
                QueuePair(work, previous[position]);
            }
        }

        for (var k = 0; k >= 0; k = next[k])
        {
            if (ids[k] >= 0)
            {
                output.Add(ids[k]);
            }
            else
            {
                AddUnknownSymbol(codePoints[k], output);
            }
        }
    }

    private void QueuePair(BpeWork work, int position)
    {
        var left = work.Ids[position];
        var right = work.Ids[work.Next[position]];
        if (left >= 0 && right >= 0 && _pairRanks.TryGetValue(PairKey(left, right), out var rank))
        {
            work.Push(((long)rank << 32) | (uint)position);
        }
    }

    private void AddUnknownSymbol(int codePoint, List<int> output)
    {
        if (_byteTokens is not null)
        {
            Span<byte> utf8 = stackalloc byte[4];
            var length = Utf8Encoding.Encode(codePoint, utf8);
            var complete = true;
            for (var b = 0; b < length; b++)
            {
                complete &= _byteTokens[utf8[b]] >= 0;
            }

            if (complete)
            {
                for (var b = 0; b < length; b++)
                {
                    output.Add(_byteTokens[utf8[b]]);
                }

                return;
            }
        }

        if (UnknownId >= 0)
        {
            output.Add(UnknownId);
        }
    }

    private void AddToCache(ReadOnlySpan<char> word, ReadOnlySpan<int> ids)
    {
        // Bounded: when full, start over rather than track recency; a full cache means a stream of novel words anyway.
        if (Interlocked.Increment(ref _cacheCount) > CacheCapacity)
        {
            _cache.Clear();
            Interlocked.Exchange(ref _cacheCount, 1);
        }

        _cache.TryAdd(word.ToString(), ids.ToArray());
    }
}
