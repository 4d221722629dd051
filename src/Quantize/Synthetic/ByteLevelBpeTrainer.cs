using System.Text;
using System.Text.RegularExpressions;
using Appliance.Inference.Tokenization;

namespace Appliance.Quantize.Synthetic;

/// <summary>
/// Builds a byte-level BPE vocabulary of an exact size: the 256 byte symbols, merges learned greedily from
/// <see cref="TrainingCorpus"/> (most frequent pair, ties broken by ordinal order), then, when the corpus runs out
/// of repeated pairs, systematic letter extensions of existing tokens. Fully deterministic.
/// </summary>
internal static partial class ByteLevelBpeTrainer
{
    private const string FillLetters = "etaoinsrhldcumfpgwybvkxjqz";

    public static (List<string> Vocabulary, List<(string Left, string Right)> Merges) Train(int vocabularySize)
    {
        if (vocabularySize < 256)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabularySize), vocabularySize, "A byte-level vocabulary needs at least the 256 byte symbols.");
        }

        var vocabulary = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ToChar((byte)b).ToString()).ToList();
        var known = new HashSet<string>(vocabulary, StringComparer.Ordinal);
        var merges = new List<(string, string)>();
        LearnFromCorpus(vocabulary, known, merges, vocabularySize);
        FillWithExtensions(vocabulary, known, merges, vocabularySize);
        return (vocabulary, merges);
    }

    private static void LearnFromCorpus(List<string> vocabulary, HashSet<string> known, List<(string, string)> merges, int vocabularySize)
    {
        var words = PreTokenizer().Matches(TrainingCorpus.Text)
            .GroupBy(m => string.Concat(Encoding.UTF8.GetBytes(m.Value).Select(ByteLevelAlphabet.ToChar)), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (Symbols: g.Key.Select(c => c.ToString()).ToList(), Count: g.Count()))
            .ToList();

        while (vocabulary.Count < vocabularySize)
        {
            var pairCounts = new Dictionary<(string, string), int>();
            foreach (var (symbols, count) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    var pair = (symbols[i], symbols[i + 1]);
                    pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + count;
                }
            }

            var best = pairCounts
                .Where(p => p.Value >= 2)
                .OrderByDescending(p => p.Value)
                .ThenBy(p => p.Key.Item1, StringComparer.Ordinal)
                .ThenBy(p => p.Key.Item2, StringComparer.Ordinal)
                .Select(p => ((string Left, string Right)?)p.Key)
                .FirstOrDefault();
            if (best is not { } merge)
            {
                return;
            }

            merges.Add(merge);
            var merged = merge.Left + merge.Right;
            if (known.Add(merged))
            {
                vocabulary.Add(merged);
            }

            foreach (var (symbols, _) in words)
            {
                for (var i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == merge.Left && symbols[i + 1] == merge.Right)
                    {
                        symbols[i] = merged;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }
    }

    private static void FillWithExtensions(List<string> vocabulary, HashSet<string> known, List<(string, string)> merges, int vocabularySize)
    {
        // Extend tokens ending in a letter (or the bare space symbol) by one more letter, in id order; the list
        // grows as we go, so there is always another candidate.
        var space = ByteLevelAlphabet.ToChar((byte)' ').ToString();
        for (var id = 0; vocabulary.Count < vocabularySize; id++)
        {
            var token = vocabulary[id];
            if (token != space && !char.IsAsciiLetter(token[^1]))
            {
                continue;
            }

            foreach (var letter in FillLetters)
            {
                if (vocabulary.Count == vocabularySize)
                {
                    return;
                }

                var extended = token + letter;
                if (known.Add(extended))
                {
                    merges.Add((token, letter.ToString()));
                    vocabulary.Add(extended);
                }
            }
        }
    }

    // GPT-2's pre-tokenization pattern: contractions, letter runs, digit runs and punctuation runs, each with an
    // optional leading space, then whitespace.
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    private static partial Regex PreTokenizer();
}
