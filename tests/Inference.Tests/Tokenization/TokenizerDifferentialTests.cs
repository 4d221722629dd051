using System.Diagnostics;
using Appliance.Inference.Tokenization;
using Xunit.Abstractions;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Our tokenizer against the reference JavaScript implementation on the real Llama 2, Llama 3, Qwen 3 and Gemma 3
/// tokenizer files: 10,000 seeded hard strings each (ids with and without special tokens, both decodes), plus
/// 2,000 random id lists to decode (invalid UTF-8 byte runs, special tokens, anything). One Node run per tokenizer.
/// </summary>
public sealed class TokenizerDifferentialTests(ITestOutputHelper output)
{
    private const int TextCount = 10_000;
    private const int IdListCount = 2_000;

    public static TheoryData<string> Names => RealTokenizers.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void Matches_the_reference_on_generated_text_and_random_ids(string name)
    {
        var clock = Stopwatch.StartNew();
        var tokenizer = RealTokenizers.Get(name);
        var loaded = clock.Elapsed;
        var seed = 7919 * (RealTokenizers.All.ToList().IndexOf(name) + 1);
        var generator = new MixedTextGenerator(seed);
        var texts = Enumerable.Range(0, TextCount).Select(_ => generator.Next()).ToList();
        var idLists = RandomIdLists(tokenizer, new Random(seed), IdListCount);
        var generated = clock.Elapsed;

        var reference = ReferenceTokenizer.Run(RealTokenizers.TokenizerJson(name), RealTokenizers.TokenizerConfig(name), texts, idLists);
        var referenced = clock.Elapsed;
        var comparison = TokenizerComparison.Run(tokenizer, texts, idLists, reference);

        output.WriteLine(
            $"{name}: {texts.Count} texts ({texts.Sum(t => t.Length)} chars), {idLists.Count} id lists; load {loaded.TotalSeconds:F1} s, "
            + $"generate {(generated - loaded).TotalSeconds:F1} s, reference {(referenced - generated).TotalSeconds:F1} s, "
            + $"ours and compare {(clock.Elapsed - referenced).TotalSeconds:F1} s");
        Assert.True(
            comparison.Failures == 0,
            $"{name}: {comparison.Failures} of {texts.Count} texts and {idLists.Count} id lists differ from the reference. First ones:\n{comparison.Report}");
    }

    /// <summary>Random ids, and runs of single-byte tokens that rarely form valid UTF-8.</summary>
    internal static List<int[]> RandomIdLists(Tokenizer tokenizer, Random random, int count)
    {
        var byteTokens = Enumerable.Range(0, 256)
            .Select(b => tokenizer.TokenToId($"<0x{b:X2}>") ?? tokenizer.TokenToId(ByteLevelAlphabet.ToChar((byte)b).ToString()))
            .OfType<int>()
            .ToArray();
        var added = tokenizer.AddedTokens.Select(t => t.Id).ToArray();
        var lists = new List<int[]>(count);
        for (var i = 0; i < count; i++)
        {
            var ids = new int[random.Next(0, 16)];
            for (var k = 0; k < ids.Length; k++)
            {
                var draw = random.Next(10);
                ids[k] = draw < 5 && byteTokens.Length > 0 ? byteTokens[random.Next(byteTokens.Length)]
                    : draw < 6 && added.Length > 0 ? added[random.Next(added.Length)]
                    : RandomKnownId(tokenizer, random);
            }

            lists.Add(ids);
        }

        return lists;
    }

    private static int RandomKnownId(Tokenizer tokenizer, Random random)
    {
        while (true)
        {
            var id = random.Next(tokenizer.VocabularySize);
            if (tokenizer.IdToToken(id) is not null)
            {
                return id;
            }
        }
    }
}
