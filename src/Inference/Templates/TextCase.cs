namespace Appliance.Inference.Templates;

/// <summary>String case and strip helpers shared by filters and string methods, with the reference's semantics.</summary>
internal static class TextCase
{
    /// <summary>Upper-cases the first letter of each ASCII word, leaving the rest as it is (the reference's title).</summary>
    public static string Title(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (JsText.IsWordChar(chars[i]) && (i == 0 || !JsText.IsWordChar(chars[i - 1])))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    /// <summary>Upper-cases the first char and leaves the rest as it is (the reference's capitalize).</summary>
    public static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>
    /// Python's str.strip(chars) family. Without chars it trims JavaScript whitespace like the reference; with
    /// chars it strips exactly those characters, as Python (and so transformers) does.
    /// </summary>
    public static string Strip(string text, TemplateValue? chars, bool start, bool end)
    {
        switch (chars)
        {
            case null or NoneValue or UndefinedValue:
                return start && end ? JsText.Trim(text) : start ? JsText.TrimStart(text) : JsText.TrimEnd(text);
            case StringValue set:
                var from = 0;
                var to = text.Length;
                while (start && from < to && set.Value.Contains(text[from], StringComparison.Ordinal))
                {
                    from++;
                }

                while (end && to > from && set.Value.Contains(text[to - 1], StringComparison.Ordinal))
                {
                    to--;
                }

                return text[from..to];
            default:
                throw new TemplateRuntimeError($"strip chars must be a string or none, got {chars.TypeName}");
        }
    }
}
