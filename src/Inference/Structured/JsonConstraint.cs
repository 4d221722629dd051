using Appliance.Inference.Generation;

namespace Appliance.Inference.Structured;

/// <summary>
/// Keeps one generation inside a <see cref="JsonGrammar"/>: before each token, every token whose bytes cannot
/// continue a valid value is masked (found by walking the tokenizer's byte trie with the matcher, pruning dead
/// branches), and a stop token is allowed only where the value is complete. Budget-aware: a token stays allowed only
/// if the shortest completion after it still fits the tokens left, so the value completes whenever the limit leaves
/// room for it at all. Buffers are sized once per request; masking allocates nothing per token.
/// </summary>
public sealed class JsonConstraint : ITokenConstraint
{
    private readonly TokenVocabulary _vocabulary;
    private readonly JsonMatcher _matcher;
    private readonly ulong[] _allowed;
    private readonly int[] _cursor;
    private readonly int[] _levelCount;
    private readonly int[] _mark;
    private float[] _masked = [];
    private int[] _stopTokens = [];
    private int _count;

    public JsonConstraint(JsonGrammar grammar, TokenVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(grammar);
        ArgumentNullException.ThrowIfNull(vocabulary);
        _vocabulary = vocabulary;
        var levels = vocabulary.All.MaxDepth + 2;
        _matcher = new JsonMatcher(grammar, levels);
        _allowed = new ulong[(vocabulary.Size + 63) / 64];
        _cursor = new int[levels];
        _levelCount = new int[levels];
        _mark = new int[levels];
        _count = _matcher.Start();
    }

    public bool IsComplete => _matcher.CanEnd(0, _count);

    public bool IsFinished => _matcher.IsFinished(0, _count);

    /// <summary>Fewest bytes (so at most this many tokens) that still complete the value.</summary>
    public int MinBytesToComplete => _matcher.MinTotal(0, _count);

    public void Begin(ReadOnlySpan<int> stopTokens)
    {
        _stopTokens = stopTokens.ToArray();
        _count = _matcher.Start();
    }

    public ReadOnlySpan<float> Mask(ReadOnlySpan<float> logits, int tokensLeft)
    {
        if (_masked.Length != logits.Length)
        {
            _masked = new float[logits.Length];
        }

        MaskInto(logits, tokensLeft, _masked);
        return _masked;
    }

    /// <summary>As <see cref="Mask"/>, into the caller's buffer (as long as <paramref name="logits"/>).</summary>
    internal void MaskInto(ReadOnlySpan<float> logits, int tokensLeft, Span<float> masked)
    {
        ComputeAllowed(tokensLeft);
        var limit = Math.Min(logits.Length, _vocabulary.Size);
        var anyAllowed = false;
        for (var start = 0; start < limit; start += 64)
        {
            var word = _allowed[start >> 6];
            var length = Math.Min(64, limit - start);
            if (word == 0)
            {
                masked.Slice(start, length).Fill(float.NegativeInfinity);
                continue;
            }

            anyAllowed = true;
            if (word == ulong.MaxValue && length == 64)
            {
                logits.Slice(start, 64).CopyTo(masked[start..]);
                continue;
            }

            for (var i = 0; i < length; i++)
            {
                masked[start + i] = ((word >> i) & 1) != 0 ? logits[start + i] : float.NegativeInfinity;
            }
        }

        masked[limit..].Fill(float.NegativeInfinity);
        if (IsComplete)
        {
            foreach (var stop in _stopTokens)
            {
                if ((uint)stop < (uint)masked.Length)
                {
                    masked[stop] = logits[stop];
                    anyAllowed = true;
                }
            }
        }

        if (!anyAllowed)
        {
            throw new InvalidOperationException(IsComplete
                ? "The structured output is complete but the request has no stop token to end it with."
                : "No token of this vocabulary can continue the structured output.");
        }
    }

    public void Accept(int tokenId)
    {
        var bytes = (uint)tokenId < (uint)_vocabulary.Size ? _vocabulary.Bytes[tokenId] : null;
        if (bytes is not { Length: > 0 })
        {
            throw new InvalidOperationException($"Token {tokenId} has no bytes, so it cannot continue the structured output.");
        }

        var level = 0;
        var count = _count;
        foreach (var b in bytes)
        {
            count = _matcher.Advance(level, count, b, 1 - level);
            level = 1 - level;
            if (count == 0)
            {
                throw new InvalidOperationException($"Token {tokenId} cannot continue the structured output here; the mask did not allow it.");
            }
        }

        if (level == 1)
        {
            _matcher.CopyLevel(1, count, 0);
        }

        _count = count;
        _matcher.Compact(0, _count);
    }

    private void ComputeAllowed(int tokensLeft)
    {
        System.Array.Clear(_allowed);
        var current = _matcher.MinTotal(0, _count);

        // A token may leave at most tokensLeft - 1 bytes (one token each, at worst) to finish; when even now the value
        // cannot finish in time, nothing is gained by narrowing.
        var budget = current <= tokensLeft ? tokensLeft - 1 : int.MaxValue;
        if (!_matcher.TryPlainContext(0, _count, out var plain))
        {
            Walk(_vocabulary.All, budget);
        }
        else if (plain.WorstAfter <= budget)
        {
            AllowPlain(plain.Room, _vocabulary.Plain);
            Walk(_vocabulary.NotPlain, budget);
        }
        else if (plain.WholeAfter <= budget || plain.WholeAfterExact)
        {
            // Close to the limit: plain tokens that end between characters cost nothing more to finish; the others
            // are walked and checked one by one.
            if (plain.WholeAfter <= budget)
            {
                AllowPlain(plain.Room, _vocabulary.Whole);
            }

            Walk(_vocabulary.NotWhole, budget);
        }
        else
        {
            Walk(_vocabulary.All, budget);
        }
    }

    /// <summary>Allows the tokens of <paramref name="set"/> (plain ones) of at most <paramref name="room"/> characters.</summary>
    private void AllowPlain(int room, ulong[] set)
    {
        if (room == int.MaxValue)
        {
            set.AsSpan().CopyTo(_allowed);
            return;
        }

        var upTo = _vocabulary.PlainUpTo[Math.Min(room, TokenVocabulary.ShortChars)];
        for (var i = 0; i < _allowed.Length; i++)
        {
            _allowed[i] = upTo[i] & set[i];
        }

        if (room <= TokenVocabulary.ShortChars)
        {
            return;
        }

        var chars = _vocabulary.PlainChars;
        foreach (var id in _vocabulary.LongPlainIds)
        {
            if (chars[id] <= room && (set[id >> 6] & (1UL << id)) != 0)
            {
                _allowed[id >> 6] |= 1UL << id;
            }
        }
    }

    /// <summary>Depth-first over the trie, carrying the matcher state per depth; a branch ends where no head survives.</summary>
    private void Walk(TokenTrie trie, int budget)
    {
        var depth = 0;
        _cursor[0] = trie.FirstChild[0];
        _levelCount[0] = _count;
        _mark[0] = _matcher.Top;
        while (depth >= 0)
        {
            var child = _cursor[depth];
            if (child < 0)
            {
                depth--;
                continue;
            }

            _cursor[depth] = trie.NextSibling[child];
            _matcher.Truncate(_mark[depth]);
            var survivors = _matcher.Advance(depth, _levelCount[depth], trie.Edge[child], depth + 1);
            if (survivors == 0)
            {
                continue;
            }

            if (trie.TokenEnd[child] > trie.TokenStart[child] && _matcher.MinTotal(depth + 1, survivors) <= budget)
            {
                for (var k = trie.TokenStart[child]; k < trie.TokenEnd[child]; k++)
                {
                    var id = trie.Ids[k];
                    _allowed[id >> 6] |= 1UL << id;
                }
            }

            if (trie.FirstChild[child] >= 0)
            {
                depth++;
                _cursor[depth] = trie.FirstChild[child];
                _levelCount[depth] = survivors;
                _mark[depth] = _matcher.Top;
            }
        }

        _matcher.Truncate(_mark[0]);
    }
}
