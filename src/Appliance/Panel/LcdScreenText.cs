using Appliance.State;
using System.Globalization;
using System.Text;

namespace Appliance.Panel;

/// <summary>
/// What the LCD shows, row by row, each exactly as wide as the display. On 16x2: the state and model, then tokens/s
/// while generating or else the last answer scrolling. On 20x4: state, model, tokens/s, answer. Text is reduced to the
/// characters the HD44780's ROM shows as ASCII; everything else becomes '?'.
/// </summary>
public static class LcdScreenText
{
    /// <summary>Blanks between the end of a scrolling answer and its start coming round again.</summary>
    public const int ScrollGap = 3;

    public static IReadOnlyList<string> Compose(ServiceStatus status, GenerationProgress generation, int columns, int rows, int scrollStep)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(generation);
        var state = status.State.ToWireName();
        var model = Printable(status.Model ?? "");
        var rate = generation.Generating ? string.Create(CultureInfo.InvariantCulture, $"{generation.TokensPerSecond:F1} tok/s") : "";
        var answer = generation.Generating ? "" : Window(Printable(generation.LastAnswer ?? ""), columns, scrollStep);
        string[] lines = rows >= 4
            ? [state, model.Length > 0 ? model : "no model", rate, answer]
            : [model.Length > 0 ? $"{state} {model}" : state, generation.Generating ? rate : answer];
        return [.. lines.Select(line => Fit(line, columns))];
    }

    /// <summary>How many scroll steps make one full turn of <paramref name="answer"/>; 0 when it fits and stays still.</summary>
    public static int ScrollLength(string? answer, int columns)
    {
        var text = Printable(answer ?? "");
        return text.Length <= columns ? 0 : text.Length + ScrollGap;
    }

    private static string Window(string text, int columns, int step)
    {
        if (text.Length <= columns)
        {
            return text;
        }

        var loop = text + new string(' ', ScrollGap);
        var start = step % loop.Length;
        return (loop + loop)[start..(start + columns)];
    }

    private static string Fit(string line, int columns) => line.Length >= columns ? line[..columns] : line.PadRight(columns);

    /// <summary>Whitespace runs become one space; characters outside the ROM's ASCII range become '?'.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else
            {
                // 0x5C is a yen sign and 0x7E/0x7F arrows in the common A00 ROM.
                builder.Append(c is >= ' ' and <= '}' and not '\\' ? c : '?');
            }
        }

        return builder.ToString().Trim();
    }
}
