namespace Appliance.Inference.Generation;

/// <summary>
/// The token ids whose keys and values each of the decoder's KV slots holds, so a prompt can continue the slot that
/// shares its longest prefix and prefill only the rest. A slot is continued only when the prompt shares at least half
/// of what it holds (as llama.cpp's server does): a new conversation sharing just a chat template's opening or a
/// system prompt takes the least recently used slot instead of destroying a longer kept one.
/// </summary>
internal sealed class PrefixCache
{
    private readonly int[][] _tokens;
    private readonly int[] _lengths;
    private readonly long[] _lastUsed;
    private long _clock;

    public PrefixCache(int slots, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        _tokens = new int[slots][];
        for (var i = 0; i < slots; i++)
        {
            _tokens[i] = new int[capacity];
        }

        _lengths = new int[slots];
        _lastUsed = new long[slots];
    }

    /// <summary>
    /// The slot <paramref name="prompt"/> runs in and how many of its first tokens that slot already holds. At least
    /// the last prompt token is always left to run: its logits choose the first generated token.
    /// </summary>
    public (int Slot, int Reused) Claim(ReadOnlySpan<int> prompt)
    {
        var slot = -1;
        var reused = 0;
        var leastRecent = 0;
        for (var i = 0; i < _tokens.Length; i++)
        {
            var common = prompt.CommonPrefixLength(_tokens[i].AsSpan(0, _lengths[i]));
            if (2L * common >= _lengths[i] && (slot < 0 || common > reused))
            {
                slot = i;
                reused = common;
            }

            leastRecent = _lastUsed[i] < _lastUsed[leastRecent] ? i : leastRecent;
        }

        if (slot < 0)
        {
            slot = leastRecent;
            reused = prompt.CommonPrefixLength(_tokens[slot].AsSpan(0, _lengths[slot]));
        }

        _lastUsed[slot] = ++_clock;
        return (slot, Math.Min(reused, prompt.Length - 1));
    }

    /// <summary>After a request: <paramref name="slot"/> holds the first <paramref name="cached"/> tokens of the prompt followed by the generated ones.</summary>
    public void Keep(int slot, ReadOnlySpan<int> prompt, ReadOnlySpan<int> generated, int cached)
    {
        var fromPrompt = Math.Min(prompt.Length, cached);
        prompt[..fromPrompt].CopyTo(_tokens[slot]);
        generated[..(cached - fromPrompt)].CopyTo(_tokens[slot].AsSpan(fromPrompt));
        _lengths[slot] = cached;
    }
}
