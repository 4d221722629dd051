using System.Collections.Frozen;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// Unicode canonical normalization (NFC, NFD) from the tables in <see cref="UnicodeNormalizationData"/>.
/// .NET's own string.Normalize is a no-op under InvariantGlobalization, which the appliance runs with.
/// </summary>
internal static class UnicodeNormalization
{
    private const int HangulBase = 0xAC00;
    private const int HangulLBase = 0x1100;
    private const int HangulVBase = 0x1161;
    private const int HangulTBase = 0x11A7;
    private const int HangulLCount = 19;
    private const int HangulVCount = 21;
    private const int HangulTCount = 28;
    private const int HangulNCount = HangulVCount * HangulTCount;
    private const int HangulSCount = HangulLCount * HangulNCount;

    // Copied out of the RVA-backed spans once: without JIT optimization, each access to those allocates.
    private static readonly int[] SuspectRanges = UnicodeNormalizationData.NfcSuspectRanges.ToArray();
    private static readonly int[] DecompositionStarts = UnicodeNormalizationData.DecompositionStarts.ToArray();
    private static readonly int[] DecompositionValues = UnicodeNormalizationData.DecompositionValues.ToArray();
    private static readonly ulong[] BmpNfcSuspects = BuildBmpNfcSuspects();
    private static readonly FrozenDictionary<int, int> DecompositionIndex = BuildDecompositionIndex();
    private static readonly FrozenDictionary<int, byte> ClassRanks = BuildClassRanks();
    private static readonly FrozenDictionary<long, int> Compositions = BuildCompositions();

    /// <summary>Writes the NFC or NFD form of <paramref name="text"/> to <paramref name="output"/>.</summary>
    /// <remarks>
    /// Only the stretches around characters that can change are normalized: a character that is a starter and
    /// cannot change or combine backwards is a boundary, and text splits at boundaries without changing the result.
    /// </remarks>
    public static void Normalize(ReadOnlySpan<char> text, bool compose, CharBuffer output, List<int> scratch)
    {
        var copied = 0;
        var lastBoundary = 0;
        for (var i = 0; i < text.Length;)
        {
            var cp = UnicodeText.CodePointAt(text, i, out var length);
            if (!IsSuspect(cp, compose))
            {
                lastBoundary = i;
                i += length;
                continue;
            }

            var end = i + length;
            while (end < text.Length && IsSuspect(UnicodeText.CodePointAt(text, end, out var next), compose))
            {
                end += next;
            }

            output.Append(text[copied..lastBoundary]);
            NormalizeStretch(text[lastBoundary..end], compose, output, scratch);
            copied = lastBoundary = i = end;
        }

        output.Append(text[copied..]);
    }

    private static void NormalizeStretch(ReadOnlySpan<char> text, bool compose, CharBuffer output, List<int> scratch)
    {
        scratch.Clear();
        Decompose(text, scratch);
        ReorderCanonically(scratch);
        if (compose)
        {
            Compose(scratch);
        }

        output.EnsureFree(scratch.Count * 2);
        foreach (var cp in scratch)
        {
            output.AppendCodePoint(cp);
        }
    }

    /// <summary>Whether a code point may change the text around it under the form (otherwise it is a boundary).</summary>
    private static bool IsSuspect(int cp, bool compose)
    {
        // Below U+0300 nothing changes under NFC; below U+00C0 nothing decomposes.
        if (cp < (compose ? 0x300 : 0xC0))
        {
            return false;
        }

        return compose ? IsNfcSuspect(cp) : IsNfdSuspect(cp);
    }

    private static bool IsNfcSuspect(int cp)
    {
        if (cp < 0x10000)
        {
            return (BmpNfcSuspects[cp >> 6] & (1UL << (cp & 63))) != 0;
        }

        var ranges = SuspectRanges;
        int low = 0, high = (ranges.Length / 2) - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            if (cp < ranges[2 * mid])
            {
                high = mid - 1;
            }
            else if (cp > ranges[(2 * mid) + 1])
            {
                low = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNfdSuspect(int cp) =>
        cp is >= HangulBase and < HangulBase + HangulSCount || DecompositionIndex.ContainsKey(cp) || ClassRanks.ContainsKey(cp);

    private static void Decompose(ReadOnlySpan<char> text, List<int> output)
    {
        for (var i = 0; i < text.Length;)
        {
            var cp = UnicodeText.CodePointAt(text, i, out var length);
            i += length;
            if (cp is >= HangulBase and < HangulBase + HangulSCount)
            {
                var s = cp - HangulBase;
                output.Add(HangulLBase + (s / HangulNCount));
                output.Add(HangulVBase + (s % HangulNCount / HangulTCount));
                if (s % HangulTCount != 0)
                {
                    output.Add(HangulTBase + (s % HangulTCount));
                }
            }
            else if (DecompositionIndex.TryGetValue(cp, out var index))
            {
                for (var k = DecompositionStarts[index]; k < DecompositionStarts[index + 1]; k++)
                {
                    output.Add(DecompositionValues[k]);
                }
            }
            else
            {
                output.Add(cp);
            }
        }
    }

    private static int Rank(int cp) => ClassRanks.TryGetValue(cp, out var rank) ? rank : 0;

    /// <summary>Stable sort of each run of non-starters by combining class (insertion sort: runs are short).</summary>
    private static void ReorderCanonically(List<int> cps)
    {
        for (var i = 1; i < cps.Count; i++)
        {
            var rank = Rank(cps[i]);
            if (rank == 0)
            {
                continue;
            }

            var cp = cps[i];
            var j = i - 1;
            while (j >= 0 && Rank(cps[j]) > rank)
            {
                cps[j + 1] = cps[j];
                j--;
            }

            cps[j + 1] = cp;
        }
    }

    /// <summary>The canonical composition algorithm of UAX #15, in place.</summary>
    private static void Compose(List<int> cps)
    {
        var starter = -1;
        var lastRank = 0;
        var count = 0;
        for (var i = 0; i < cps.Count; i++)
        {
            var cp = cps[i];
            var rank = Rank(cp);
            var adjacent = starter == count - 1;
            if (starter >= 0 && (adjacent || (lastRank != 0 && lastRank < rank)) && TryCompose(cps[starter], cp, out var composite))
            {
                cps[starter] = composite;
                continue;
            }

            if (rank == 0)
            {
                starter = count;
            }

            lastRank = rank;
            cps[count++] = cp;
        }

        cps.RemoveRange(count, cps.Count - count);
    }

    private static bool TryCompose(int first, int second, out int composite)
    {
        if (first is >= HangulLBase and < HangulLBase + HangulLCount && second is >= HangulVBase and < HangulVBase + HangulVCount)
        {
            composite = HangulBase + ((((first - HangulLBase) * HangulVCount) + (second - HangulVBase)) * HangulTCount);
            return true;
        }

        if (first is >= HangulBase and < HangulBase + HangulSCount && (first - HangulBase) % HangulTCount == 0
            && second is > HangulTBase and < HangulTBase + HangulTCount)
        {
            composite = first + (second - HangulTBase);
            return true;
        }

        return Compositions.TryGetValue(((long)first << 32) | (uint)second, out composite);
    }

    private static ulong[] BuildBmpNfcSuspects()
    {
        var bits = new ulong[0x10000 / 64];
        for (var r = 0; r < SuspectRanges.Length; r += 2)
        {
            for (var cp = SuspectRanges[r]; cp <= SuspectRanges[r + 1] && cp < 0x10000; cp++)
            {
                bits[cp >> 6] |= 1UL << (cp & 63);
            }
        }

        return bits;
    }

    private static FrozenDictionary<int, int> BuildDecompositionIndex()
    {
        var keys = UnicodeNormalizationData.DecompositionKeys;
        var index = new Dictionary<int, int>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            index[keys[i]] = i;
        }

        return index.ToFrozenDictionary();
    }

    private static FrozenDictionary<int, byte> BuildClassRanks()
    {
        var keys = UnicodeNormalizationData.NonStarterKeys;
        var ranks = UnicodeNormalizationData.NonStarterRanks;
        var map = new Dictionary<int, byte>(keys.Length);
        for (var i = 0; i < keys.Length; i++)
        {
            map[keys[i]] = ranks[i];
        }

        return map.ToFrozenDictionary();
    }

    private static FrozenDictionary<long, int> BuildCompositions()
    {
        var triples = UnicodeNormalizationData.Compositions;
        var map = new Dictionary<long, int>(triples.Length / 3);
        for (var i = 0; i < triples.Length; i += 3)
        {
            map[((long)triples[i] << 32) | (uint)triples[i + 1]] = triples[i + 2];
        }

        return map.ToFrozenDictionary();
    }
}
