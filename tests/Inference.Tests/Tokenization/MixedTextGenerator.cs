using System.Text;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Seeded generator of hard text for tokenizers: mixed scripts, decomposed accents and combining marks in any order,
/// emoji with skin tones and ZWJ sequences, whitespace runs, numbers, code, contractions, and special-token text in
/// the middle of prose. Characters are from long-established Unicode blocks, so .NET's and Node's Unicode tables
/// agree on them. U+017F (long s) is left out on purpose: after an apostrophe the Rust crate folds it to "s" and
/// the reference JavaScript does not, and we follow the Rust crate there.
/// </summary>
public sealed class MixedTextGenerator(int seed)
{
    private static readonly string[] LatinWords =
    [
        "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "Appliance", "token", "offline", "model",
        "café", "naïve", "résumé", "Zürich", "Ångström", "façade", "jalapeño", "São", "Paulo", "Łódź", "Dvořák",
        "straße", "Œuvre", "ĳssel", "Ærø", "þorn", "HELLO", "World", "iPhone", "McDonald", "e\u0301te\u0301",
        "n\u0303o", "A\u030A", "o\u0308\u0304", "a\u0323\u0302", "a\u0302\u0323", "q\u0307\u0323", "ǅemal", "ﬁne",
    ];

    private static readonly string[] OtherScriptWords =
    [
        "Привет", "мир", "Ёжик", "объём", "Ελληνικά", "καλημέρα", "ΆΈΉ", "ά", "α\u0301\u0345", "مرحبا", "بالعالم",
        "السَّلَامُ", "שלום", "עוֹלָם", "नमस्ते", "दुनिया", "क्षत्रिय", "हिन्दी", "สวัสดี", "ภาษาไทย", "น้ำ",
        "你好", "世界", "中华人民共和国", "漢字", "こんにちは", "カタカナ", "ひらがな", "ｶﾀｶﾅ", "안녕하세요", "한국어",
        "\u1100\u1161\u11A8", "\u1112\u1161\u11AB\u1100\u1173\u11AF", "ᄀᄀ", "Ⅻ", "ℌ", "𝐀𝐁𝐂", "𝔾𝕠𝕠𝕕", "ꙮ", "ᏣᎳᎩ",
        "ქართული", "Հայերեն", "አማርኛ", "தமிழ்", "ಕನ್ನಡ", "ବାଂଲା", "ᠮᠣᠩᠭᠣᠯ", "ⴰⵣⵓⵍ",
    ];

    private static readonly string[] Emoji =
    [
        "😀", "🤷🏽‍♀️", "👨‍👩‍👧‍👦", "👍🏿", "🧑🏻‍💻", "🏳️‍🌈", "🇩🇪", "🇯🇵", "#️⃣", "❤️", "✨", "🦀", "🍣", "👩🏾‍🚀",
        "☺", "☺️", "🫠", "🤌🏼", "🐈‍⬛", "🧔‍♂️", "1️⃣", "©", "™", "🔥🔥🔥",
    ];

    private static readonly string[] Whitespace =
    [
        " ", "  ", "   ", "\t", "\t\t", "\n", "\n\n", "\r\n", "\r\n\r\n", " \n ", "\n\n\n\n", "\u00A0", "\u3000",
        "\u2009", "\u200B", " \t \n", "\r", "\v", "\f", "\u2028", "\u0085", "        ",
    ];

    private static readonly string[] CodeSnippets =
    [
        "for (int i = 0; i < n; i++) { sum += a[i]; }", "def f(x):\n    return x ** 2\n", "if (x != null && y >= 3) {",
        "{\"key\": [1, 2.5e-3, true, null]}", "https://example.com/path?q=1&r=%20", "user@example.org", "#include <stdio.h>",
        "SELECT * FROM t WHERE id = 42;", "<div class=\"x\">hi</div>", "x => x.Trim()", "a[i] = b[j] * c;", "0x1F, 0b1010",
        "    indented\tline", "/* comment */", "// TODO: fix", "$ ls -la | grep .cs", "λx.x", "i += 1;;;",
    ];

    private static readonly string[] Punctuation =
    [
        ".", ",", "!", "?", "...", "!!!", "?!", ";", ":", "-", "—", "–", "(", ")", "[", "]", "\"", "“", "”", "«", "»",
        "'", "’", "`", "*", "&", "%", "@", "#", "§", "¶", "©", "•", "·", "・", "。", "、", "！", "？", "…", "\\", "/",
    ];

    private static readonly string[] Contractions =
    [
        "don't", "I'm", "it's", "we'll", "they're", "you've", "he'd", "DON'T", "I'M", "IT'S", "WE'LL", "They'Re",
        "YOU'VE", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d", "'S", "'LL", "' s", "''", "'x",
    ];

    private static readonly string[] SpecialTokenText =
    [
        "<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>",
        "<|reserved_special_token_7|>", "<s>", "</s>", "<unk>", "<bos>", "<eos>", "<pad>", "<mask>", "<start_of_turn>",
        "<end_of_turn>", "<start_of_image>", "<unused42>", "[multimodal]", "<|im_start|>", "<|im_end|>",
        "<|endoftext|>", "<think>", "</think>", "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<0x41>", "<0xE4>",
        "<|begin_of", "<s", "< s>", "<|im_start", "<start_of_turn", "<<s>>", "<s><s>", "</s></s>", "▁", "▁▁", "Ġ", "Ċ",
    ];

    private static readonly string[] Oddities =
    [
        "\u0301", "\u0308\u0301", "\u0345", "e\u0301\u0301\u0301", "\uFFFD", "\u0007", "\u001B", "\u0000", "\u200D",
        "\u200C", "\u00AD", "\u200E", "\u200F", "\uFEFF", "\u2060", "\uFE0F", "\u180E", "\u0600", "\u034F", "\u1DC4",
    ];

    private readonly Random _random = new(seed);

    /// <summary>One hard string, usually short, sometimes a few hundred chars.</summary>
    public string Next()
    {
        var text = new StringBuilder();
        var pieces = _random.Next(10) switch
        {
            0 => 0,
            < 6 => _random.Next(1, 8),
            < 9 => _random.Next(8, 30),
            _ => _random.Next(30, 120),
        };
        for (var i = 0; i < pieces; i++)
        {
            AppendPiece(text);
        }

        return text.ToString();
    }

    /// <summary>Prose-like mixed text of about <paramref name="chars"/> chars, for throughput measurements.</summary>
    public string Corpus(int chars)
    {
        var text = new StringBuilder(chars + 200);
        while (text.Length < chars)
        {
            var words = _random.Next(5, 25);
            for (var w = 0; w < words; w++)
            {
                var draw = _random.Next(100);
                text.Append(draw switch
                {
                    < 55 => Pick(LatinWords),
                    < 80 => Pick(OtherScriptWords),
                    < 85 => Pick(Contractions),
                    < 90 => Number(),
                    < 93 => Pick(Emoji),
                    < 97 => Pick(CodeSnippets),
                    _ => Pick(Punctuation),
                });
                text.Append(_random.Next(12) == 0 ? Pick(Punctuation) : string.Empty).Append(' ');
            }

            text.Append(_random.Next(4) == 0 ? "\n\n" : ". ");
        }

        return text.ToString();
    }

    private void AppendPiece(StringBuilder text)
    {
        switch (_random.Next(20))
        {
            case < 5:
                text.Append(Pick(LatinWords));
                break;
            case < 8:
                text.Append(Pick(OtherScriptWords));
                break;
            case 8:
                text.Append(Pick(Emoji));
                break;
            case < 12:
                text.Append(Pick(Whitespace));
                break;
            case 12:
                text.Append(Number());
                break;
            case 13:
                text.Append(Pick(CodeSnippets));
                break;
            case 14:
                text.Append(Pick(Punctuation));
                break;
            case 15:
                text.Append(Pick(Contractions));
                break;
            case 16:
                text.Append(Pick(SpecialTokenText));
                break;
            case 17:
                text.Append(Pick(Oddities));
                break;
            case 18:
                AppendRandomCodePoints(text);
                break;
            default:
                AppendCombiningCluster(text);
                break;
        }
    }

    private string Number() => _random.Next(6) switch
    {
        0 => _random.Next(10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        1 => _random.NextInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
        2 => string.Concat(Enumerable.Range(0, _random.Next(10, 40)).Select(_ => (char)('0' + _random.Next(10)))),
        3 => "3.14159",
        4 => "١٢٣٤ ५६७ １２３ ²³ ½ Ⅷ ⑳",
        _ => "1,234,567.89",
    };

    /// <summary>A base letter followed by combining marks in random order (exercises canonical reordering).</summary>
    private void AppendCombiningCluster(StringBuilder text)
    {
        string[] bases = ["a", "e", "o", "u", "A", "s", "ω", "α", "ы", "i", " ", "\u1100", "가", "क"];
        string[] marks = ["\u0300", "\u0301", "\u0302", "\u0303", "\u0308", "\u0323", "\u0327", "\u0328", "\u0345", "\u0316", "\u0334", "\u05B0", "\u0E31", "\u094D", "\u1161", "\u11A8", "\u0F71", "\u0F72"];
        text.Append(Pick(bases));
        for (var m = _random.Next(1, 5); m > 0; m--)
        {
            text.Append(Pick(marks));
        }
    }

    /// <summary>Code points drawn from well-populated, long-established ranges.</summary>
    private void AppendRandomCodePoints(StringBuilder text)
    {
        (int First, int Last)[] ranges =
        [
            (0x20, 0x7E), (0xA0, 0x17E), (0x180, 0x24F), (0x370, 0x3FF), (0x400, 0x4FF), (0x590, 0x5FF), (0x600, 0x6FF),
            (0x900, 0x97F), (0xE00, 0xE7F), (0x1E00, 0x1FFF), (0x2000, 0x206F), (0x2190, 0x23FF), (0x3040, 0x30FF),
            (0x4E00, 0x9FA5), (0xAC00, 0xD7A3), (0xFF00, 0xFFEF), (0x1F300, 0x1F5FF), (0x1D400, 0x1D4FF), (0x20000, 0x2A6D6),
        ];
        var (first, last) = ranges[_random.Next(ranges.Length)];
        for (var n = _random.Next(1, 6); n > 0; n--)
        {
            var cp = _random.Next(first, last + 1);
            if (cp is not 0x17F and not 0xFDD0 and (< 0xD800 or > 0xDFFF))
            {
                text.Append(char.ConvertFromUtf32(cp));
            }
        }
    }

    private string Pick(string[] options) => options[_random.Next(options.Length)];
}
