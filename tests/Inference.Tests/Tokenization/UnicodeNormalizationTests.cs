using System.Text;
using System.Text.Json;
using Appliance.Inference.Tokenization;
using Appliance.TestSupport;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Our NFC and NFD against Node's String.prototype.normalize (what the reference's normalizers call): every code
/// point, in runs of 256, plus seeded clusters of bases, combining marks in any order and Hangul jamo.
/// </summary>
public sealed class UnicodeNormalizationTests
{
    [Fact]
    public void Nfc_and_nfd_match_the_reference_for_every_code_point_and_random_clusters()
    {
        var strings = new List<string>();
        var run = new StringBuilder();
        for (var cp = 0; cp <= 0x10FFFF; cp++)
        {
            if (cp is >= 0xD800 and <= 0xDFFF)
            {
                continue;
            }

            run.Append(char.ConvertFromUtf32(cp));
            if (cp % 256 == 255)
            {
                strings.Add(run.ToString());
                run.Clear();
            }
        }

        strings.AddRange(RandomClusters(new Random(3), 5000));
        var (nfc, nfd) = Reference(strings);

        var failures = new List<string>();
        for (var i = 0; i < strings.Count && failures.Count < 5; i++)
        {
            Check(failures, "NFC", strings[i], Normalize(strings[i], compose: true), nfc[i]);
            Check(failures, "NFD", strings[i], Normalize(strings[i], compose: false), nfd[i]);
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("e\u0301", "\u00E9", "e\u0301")]
    [InlineData("\u1100\u1161\u11A8", "\uAC01", "\u1100\u1161\u11A8")]
    [InlineData("a\u0301\u0323", "\u1EA1\u0301", "a\u0323\u0301")]
    [InlineData("plain", "plain", "plain")]
    public void Composes_decomposes_and_reorders(string input, string nfc, string nfd)
    {
        Assert.Equal(nfc, Normalize(input, compose: true));
        Assert.Equal(nfd, Normalize(input, compose: false));
    }

    private static string Normalize(string text, bool compose)
    {
        var output = new CharBuffer();
        UnicodeNormalization.Normalize(text, compose, output, []);
        return output.ToString();
    }

    private static void Check(List<string> failures, string form, string input, string ours, string reference)
    {
        if (ours != reference)
        {
            failures.Add($"{form} of {Codes(input)}\n  ours      {Codes(ours)}\n  reference {Codes(reference)}");
        }
    }

    private static string Codes(string text) =>
        string.Join(" ", text.EnumerateRunes().Take(40).Select(r => r.Value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));

    private static IEnumerable<string> RandomClusters(Random random, int count)
    {
        int[] bases = ['a', 'e', 'o', 'A', 'E', 'U', 's', 'S', 0x3B1, 0x3C9, 0x399, 0x435, 0x438, 0x1100, 0x1112, 0xAC00, 0xAC01, 0x915, 0xD9, 0xDD9, 0x11099, 0x1E0A, ' ', 0x0F40, 0x05D0, 0x1B05];
        int[] marks = [0x300, 0x301, 0x302, 0x303, 0x304, 0x306, 0x307, 0x308, 0x30A, 0x30C, 0x323, 0x327, 0x328, 0x345, 0x316, 0x334, 0x31B, 0x5B0, 0x5BC, 0x93C, 0x94D, 0xDCA, 0xDCF, 0x110BA, 0x1161, 0x1175, 0x11A8, 0x11C2, 0x0F71, 0x0F72, 0x0F80, 0x1B35, 0x302A, 0x20D2, 0x1DC4, 0x0E48, 0x0340, 0x0343, 0x0344, 0x0958];
        for (var i = 0; i < count; i++)
        {
            var text = new StringBuilder();
            for (var clusters = random.Next(1, 4); clusters > 0; clusters--)
            {
                text.Append(char.ConvertFromUtf32(bases[random.Next(bases.Length)]));
                for (var m = random.Next(0, 5); m > 0; m--)
                {
                    text.Append(char.ConvertFromUtf32(marks[random.Next(marks.Length)]));
                }
            }

            yield return text.ToString();
        }
    }

    private static (List<string> Nfc, List<string> Nfd) Reference(List<string> strings)
    {
        using var directory = new TempDirectory("normalization-oracle");
        var request = directory.Combine("strings.json");
        var response = directory.Combine("response.json");
        File.WriteAllText(request, JsonSerializer.Serialize(strings));
        NodeScript.Run("tokenizer-normalization-oracle.mjs", request, response);
        using var document = JsonDocument.Parse(File.ReadAllText(response));
        return (
            [.. document.RootElement.GetProperty("nfc").EnumerateArray().Select(e => e.GetString()!)],
            [.. document.RootElement.GetProperty("nfd").EnumerateArray().Select(e => e.GetString()!)]);
    }
}
