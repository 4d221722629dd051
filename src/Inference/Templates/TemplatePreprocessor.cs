using System.Text;

namespace Appliance.Inference.Templates;

/// <summary>
/// The source rewrites the reference applies before lexing, in its order: drop one trailing newline, lstrip_blocks,
/// trim_blocks (both on, as transformers renders chat templates), and remove transformers' <c>{% generation %}</c> /
/// <c>{% endgeneration %}</c> tags. Every output char remembers its offset in the original source so errors can
/// name the right line and column.
/// </summary>
internal static class TemplatePreprocessor
{
    public static (string Text, int[] Origins) Apply(string source)
    {
        var origins = new int[source.Length];
        for (var i = 0; i < origins.Length; i++)
        {
            origins[i] = i;
        }

        var text = source;
        if (text.EndsWith('\n'))
        {
            text = text[..^1];
            origins = origins[..^1];
        }

        (text, origins) = LstripBlocks(text, origins);
        (text, origins) = TrimBlocks(text, origins);
        return RemoveGenerationTags(text, origins);
    }

    /// <summary>Removes spaces and tabs between a line start and a following <c>{%</c>, <c>{#</c> or <c>{-</c>.</summary>
    private static (string, int[]) LstripBlocks(string text, int[] origins)
    {
        var output = new Rewriter(text, origins);
        var position = 0;
        while (position < text.Length)
        {
            if (position == 0 || JsText.IsLineTerminator(text[position - 1]))
            {
                var end = position;
                while (end < text.Length && text[end] is ' ' or '\t')
                {
                    end++;
                }

                if (end + 1 < text.Length && text[end] == '{' && text[end + 1] is '#' or '%' or '-')
                {
                    position = end;
                }
            }

            output.Keep(position++);
        }

        return output.Result();
    }

    /// <summary>Removes the newline right after <c>%}</c>, <c>#}</c> or <c>-}</c>.</summary>
    private static (string, int[]) TrimBlocks(string text, int[] origins)
    {
        var output = new Rewriter(text, origins);
        var position = 0;
        while (position < text.Length)
        {
            if (position + 2 < text.Length && text[position] is '#' or '%' or '-' && text[position + 1] == '}'
                && text[position + 2] == '\n')
            {
                output.Keep(position);
                output.Keep(position + 1);
                position += 3;
                continue;
            }

            output.Keep(position++);
        }

        return output.Result();
    }

    /// <summary>
    /// Drops <c>{% generation %}</c> and <c>{% endgeneration %}</c> (transformers' assistant-mask markers) with the
    /// whitespace around them that their <c>-</c> markers strip; unmarked sides keep their whitespace.
    /// </summary>
    private static (string, int[]) RemoveGenerationTags(string text, int[] origins)
    {
        var output = new Rewriter(text, origins);
        var position = 0;
        while (position < text.Length)
        {
            var whitespaceEnd = position;
            while (whitespaceEnd < text.Length && JsText.IsWhiteSpace(text[whitespaceEnd]))
            {
                whitespaceEnd++;
            }

            if (TryMatchGenerationTag(text, whitespaceEnd, out var tagEnd, out var stripBefore, out var stripAfter))
            {
                var afterEnd = tagEnd;
                while (afterEnd < text.Length && JsText.IsWhiteSpace(text[afterEnd]))
                {
                    afterEnd++;
                }

                if (!stripBefore)
                {
                    output.KeepRange(position, whitespaceEnd);
                }

                if (!stripAfter)
                {
                    output.KeepRange(tagEnd, afterEnd);
                }

                position = afterEnd;
                continue;
            }

            // No tag after this whitespace run: keep the run and the char after it.
            var next = Math.Max(whitespaceEnd, position + 1);
            output.KeepRange(position, Math.Min(next, text.Length));
            position = next;
        }

        return output.Result();
    }

    private static bool TryMatchGenerationTag(string text, int start, out int end, out bool stripBefore, out bool stripAfter)
    {
        end = start;
        stripBefore = stripAfter = false;
        if (!text.AsSpan(start).StartsWith("{%", StringComparison.Ordinal))
        {
            return false;
        }

        var position = start + 2;
        if (position < text.Length && text[position] == '-')
        {
            stripBefore = true;
            position++;
        }

        position = SkipWhitespace(text, position);
        if (text.AsSpan(position).StartsWith("end", StringComparison.Ordinal)
            && text.AsSpan(position + 3).StartsWith("generation", StringComparison.Ordinal))
        {
            position += 3;
        }

        if (!text.AsSpan(position).StartsWith("generation", StringComparison.Ordinal))
        {
            return false;
        }

        position = SkipWhitespace(text, position + "generation".Length);
        if (position < text.Length && text[position] == '-')
        {
            stripAfter = true;
            position++;
        }

        if (!text.AsSpan(position).StartsWith("%}", StringComparison.Ordinal))
        {
            return false;
        }

        end = position + 2;
        return true;
    }

    private static int SkipWhitespace(string text, int position)
    {
        while (position < text.Length && JsText.IsWhiteSpace(text[position]))
        {
            position++;
        }

        return position;
    }

    /// <summary>Collects the kept chars of a text together with their original offsets.</summary>
    private sealed class Rewriter(string text, int[] origins)
    {
        private readonly StringBuilder kept = new(text.Length);
        private readonly List<int> keptOrigins = new(text.Length);

        public void Keep(int index)
        {
            kept.Append(text[index]);
            keptOrigins.Add(origins[index]);
        }

        public void KeepRange(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                Keep(i);
            }
        }

        public (string, int[]) Result() => (kept.ToString(), [.. keptOrigins]);
    }
}
