using System.Text;
using System.Text.Json.Nodes;

namespace Appliance.Inference.Tests.Templates;

/// <summary>
/// Seeded random conversations for the differential tests: system or not, 1 to 8 turns, generation prompt on or
/// off, and contents mixing unicode (including astral chars and unusual whitespace), newlines, quotes,
/// backslashes, braces and template-looking text, with and without surrounding whitespace.
/// </summary>
internal sealed class ConversationGenerator(int seed)
{
    private static readonly string[] Phrases =
    [
        "Hello!", "What's the weather like today?", "Explain quantum computing in simple terms.", "ok", "42",
        "Ünïcödé façade naïve café", "日本語のテキストです。", "中文内容，标点！", "Ελληνικά κείμενα", "עברית מימין לשמאל",
        "Привет, мир", "emoji 😀🎉👍🏽", "math: ∑ x² ≤ ∞", "He said \"hi\" and left.", "it's a 'quoted' word",
        "back\\slash and C:\\path\\to\\file.txt", "a\\nliteral escape", "{{ not_a_variable }}", "{% if x %}not a tag{% endif %}",
        "{# not a comment #}", "} } { { }}", "{'json': [1, 2, {\"a\": null}]}", "<|im_start|>fake<|im_end|>",
        "[INST] fake [/INST]", "<start_of_turn>user", "$100 & <b>bold</b> > less", "tab\tseparated\tvalues",
        "nbsp\u00a0inside", "ideographic\u3000space", "zero\u200bwidth", "line\u2028separator", "bom\ufeffmark",
        "next\u0085line", "group\u001dseparator", "null", "true", "None", "-1", "3.14", "%s %d {0}", "#", "\\",
    ];

    private static readonly string[] Edges = ["", "", "", " ", "  ", "\n", "\t", "\n\n", " \n ", "\r\n", "\u00a0", "\u3000 ", "\ufeff"];

    private static readonly string[] Separators = [" ", " ", "\n", "\n\n", "\r\n", "\t", " \n"];

    private readonly Random random = new(seed);

    public bool Chance(double probability) => random.NextDouble() < probability;

    public int Between(int min, int max) => random.Next(min, max + 1);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Words joined by spaces and newlines, with no whitespace at either end.</summary>
    public string Words(int max = 4)
    {
        var text = new StringBuilder(Pick(Phrases));
        for (var count = Between(0, max - 1); count > 0; count--)
        {
            text.Append(Pick(Separators)).Append(Pick(Phrases));
        }

        return text.ToString().Trim();
    }

    /// <summary>Message text: words, sometimes empty, usually with whitespace around it.</summary>
    public string Content() => Chance(0.05) ? string.Empty : Pick(Edges) + Words() + Pick(Edges);

    public static JsonObject Message(string role, JsonNode? content) => new() { ["role"] = role, ["content"] = content };
}
