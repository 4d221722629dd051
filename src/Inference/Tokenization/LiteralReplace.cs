namespace Appliance.Inference.Tokenization;

/// <summary>Literal replace-all, as JavaScript's replaceAll with an escaped pattern does it.</summary>
internal static class LiteralReplace
{
    public static void Apply(ReadOnlySpan<char> input, string pattern, string content, CharBuffer output)
    {
        while (true)
        {
            var at = input.IndexOf(pattern, StringComparison.Ordinal);
            if (at < 0)
            {
                output.Append(input);
                return;
            }

            output.Append(input[..at]);
            output.Append(content);
            input = input[(at + pattern.Length)..];
        }
    }
}
