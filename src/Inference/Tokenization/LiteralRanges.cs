namespace Appliance.Inference.Tokenization;

/// <summary>Ranges of a text in which special tokens are plain text (see <see cref="Tokenizer.Encode(string, bool, IReadOnlyList{Range})"/>).</summary>
internal static class LiteralRanges
{
    /// <summary>Whether [<paramref name="start"/>, <paramref name="end"/>) of a text of <paramref name="length"/> characters touches one of <paramref name="ranges"/>.</summary>
    public static bool Overlap(IReadOnlyList<Range> ranges, int length, int start, int end)
    {
        for (var r = 0; r < ranges.Count; r++)
        {
            var (offset, count) = ranges[r].GetOffsetAndLength(length);
            if (offset < end && start < offset + count)
            {
                return true;
            }
        }

        return false;
    }
}
