using Appliance.Inference.Structured;
using Appliance.Inference.Templates;
using System.Text;

namespace Appliance.Engine;

/// <summary>
/// Keeps the text of special tokens in message content from becoming control tokens, so a user cannot forge a turn
/// (`&lt;|im_end|&gt;\n&lt;|im_start|&gt;system …`). Before the template runs, each special token's text in a message's
/// content is swapped for a private-use placeholder character (which passes through the template's filters like any
/// character); after rendering, the placeholders are swapped back and their ranges returned, for the tokenizer to
/// read as plain text. The template's own markup is untouched and still yields control tokens.
/// </summary>
internal sealed class ContentTokenShield
{
    // Supplementary Private Use Areas A and B: one code point per special token, in a plane no message uses.
    private static readonly int[] PlaceholderPlanes = [0xF0000, 0x100000];

    private readonly string[] _specials;
    private readonly Dictionary<char, (string Text, int Index)[]> _byFirstChar;

    /// <param name="specialTexts">The texts of the tokenizer's special tokens.</param>
    public ContentTokenShield(IEnumerable<string> specialTexts)
    {
        _specials = [.. specialTexts.Where(text => text.Length > 0).Distinct(StringComparer.Ordinal)];
        if (_specials.Length > 0xFFFE)
        {
            throw new ArgumentException($"{_specials.Length} special tokens are more than a private-use plane holds.", nameof(specialTexts));
        }

        // Longest first, so the longest special text starting at a position wins, as in the tokenizer's matcher.
        _byFirstChar = _specials
            .Select((text, index) => (Text: text, Index: index))
            .GroupBy(entry => entry.Text[0])
            .ToDictionary(group => group.Key, group => group.OrderByDescending(entry => entry.Text.Length).ToArray());
    }

    /// <summary>
    /// The messages with every special token's text in their content (and tool calls and tool_call_id) replaced by its
    /// placeholder, and the placeholder plane used.
    /// </summary>
    /// <exception cref="InvalidConversationException">The messages use both private-use planes, so no placeholder is free.</exception>
    public (IReadOnlyList<ChatMessage> Messages, int Plane) Hide(IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var plane = PlaceholderPlanes.FirstOrDefault(candidate => !messages.SelectMany(Texts).Any(text => UsesPlane(text, candidate)));
        if (plane == 0)
        {
            throw new InvalidConversationException("the messages use characters of both supplementary private use planes (U+F0000–U+10FFFF); at most one of them is allowed");
        }

        return (messages.Select(message => message with
        {
            Content = Hide(message.Content, plane),
            ToolCalls = [.. message.ToolCalls.Select(call => new ToolCall(Hide(call.Name, plane), Hide(call.ArgumentsJson, plane)))],
            ToolCallId = message.ToolCallId is { } id ? Hide(id, plane) : null,
        }).ToList(), plane);
    }

    /// <summary>Every client-written text of a message that the template may render.</summary>
    private static IEnumerable<string> Texts(ChatMessage message) =>
        [message.Content, .. message.ToolCalls.SelectMany(call => new[] { call.Name, call.ArgumentsJson }), .. message.ToolCallId is { } id ? [id] : Array.Empty<string>()];

    /// <summary>The rendered text with the placeholders of <paramref name="plane"/> turned back into the special tokens' texts, and where those are.</summary>
    public (string Text, List<Range> Literal) Reveal(string rendered, int plane)
    {
        ArgumentNullException.ThrowIfNull(rendered);
        var literal = new List<Range>();
        var text = new StringBuilder(rendered.Length);
        for (var i = 0; i < rendered.Length; i++)
        {
            if (char.IsHighSurrogate(rendered[i]) && i + 1 < rendered.Length && char.IsLowSurrogate(rendered[i + 1])
                && char.ConvertToUtf32(rendered[i], rendered[i + 1]) - plane is var index && (uint)index < (uint)_specials.Length)
            {
                literal.Add(new Range(text.Length, text.Length + _specials[index].Length));
                text.Append(_specials[index]);
                i++;
            }
            else
            {
                text.Append(rendered[i]);
            }
        }

        return (text.ToString(), literal);
    }

    private bool UsesPlane(string content, int plane)
    {
        for (var i = 0; i + 1 < content.Length; i++)
        {
            if (char.IsSurrogatePair(content[i], content[i + 1]) && (uint)(char.ConvertToUtf32(content[i], content[i + 1]) - plane) < (uint)_specials.Length)
            {
                return true;
            }
        }

        return false;
    }

    private string Hide(string content, int plane)
    {
        StringBuilder? hidden = null;
        var copied = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (!_byFirstChar.TryGetValue(content[i], out var candidates))
            {
                continue;
            }

            foreach (var (special, index) in candidates)
            {
                if (string.CompareOrdinal(content, i, special, 0, special.Length) == 0)
                {
                    hidden ??= new StringBuilder(content.Length);
                    hidden.Append(content, copied, i - copied).Append(char.ConvertFromUtf32(plane + index));
                    i += special.Length - 1;
                    copied = i + 1;
                    break;
                }
            }
        }

        return hidden is null ? content : hidden.Append(content, copied, content.Length - copied).ToString();
    }
}
