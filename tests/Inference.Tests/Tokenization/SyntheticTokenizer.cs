using System.Text;
using System.Text.Json.Nodes;
using Appliance.Inference.Tokenization;

namespace Appliance.Inference.Tests.Tokenization;

/// <summary>
/// Writes small tokenizer.json files for testing components the real files do not use: a vocabulary and merges
/// learned from a little text, plus whatever normalizer, pre-tokenizer, post-processor and decoder a test asks for.
/// </summary>
public sealed class SyntheticTokenizer
{
    private readonly Dictionary<string, int> _vocabulary = new(StringComparer.Ordinal);
    private readonly List<(string Left, string Right)> _merges = [];
    private readonly JsonArray _added = [];

    public JsonNode? Normalizer { get; init; }

    public JsonNode? PreTokenizer { get; init; }

    public JsonNode? PostProcessor { get; set; }

    public JsonNode? Decoder { get; init; }

    public JsonObject Model { get; } = new() { ["type"] = "BPE", ["dropout"] = null };

    public JsonObject? Config { get; init; }

    /// <summary>Write merges as ["a", "b"] pairs rather than "a b" strings.</summary>
    public bool PairMerges { get; init; }

    /// <summary>A byte-level vocabulary (GPT-2 alphabet) with merges learned from <paramref name="corpus"/>.</summary>
    public SyntheticTokenizer LearnByteLevel(string corpus, int merges)
    {
        for (var b = 0; b < 256; b++)
        {
            Add(ByteLevelAlphabet.ToChar((byte)b).ToString());
        }

        var words = corpus.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => Encoding.UTF8.GetBytes(" " + w).Select(b => ByteLevelAlphabet.ToChar(b).ToString()).ToList());
        return Learn(words, merges);
    }

    /// <summary>
    /// A SentencePiece-style vocabulary: the characters of <paramref name="corpus"/> that pass
    /// <paramref name="keep"/>, "▁" for spaces, optionally the 256 byte tokens, and merges learned from the corpus.
    /// </summary>
    public SyntheticTokenizer LearnCharacters(string corpus, Func<string, bool> keep, int merges, bool byteTokens)
    {
        if (byteTokens)
        {
            for (var b = 0; b < 256; b++)
            {
                Add($"<0x{b:X2}>");
            }
        }

        Add("▁");
        var words = corpus.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => ("▁" + w).EnumerateRunes().Select(r => r.ToString()).Where(keep).ToList())
            .Where(w => w.Count > 0)
            .ToList();
        foreach (var symbol in words.SelectMany(w => w).Order(StringComparer.Ordinal))
        {
            Add(symbol);
        }

        return Learn(words, merges);
    }

    /// <summary>Adds a token to the model vocabulary (if new) and returns its id.</summary>
    public int Add(string token)
    {
        if (!_vocabulary.TryGetValue(token, out var id))
        {
            id = _vocabulary.Count;
            _vocabulary[token] = id;
        }

        return id;
    }

    /// <summary>Adds an added token; it also goes into the vocabulary. Returns its id.</summary>
    public int AddToken(string content, bool special, bool lstrip = false, bool rstrip = false, bool? normalized = null, bool singleWord = false)
    {
        var id = Add(content);
        _added.Add(new JsonObject
        {
            ["id"] = id,
            ["content"] = content,
            ["single_word"] = singleWord,
            ["lstrip"] = lstrip,
            ["rstrip"] = rstrip,
            ["normalized"] = normalized ?? !special,
            ["special"] = special,
        });
        return id;
    }

    /// <summary>Writes tokenizer.json (and tokenizer_config.json when there is a config); returns their paths.</summary>
    public (string TokenizerJson, string? TokenizerConfig) Write(string directory)
    {
        var vocab = new JsonObject();
        foreach (var (token, id) in _vocabulary.OrderBy(e => e.Value))
        {
            vocab[token] = id;
        }

        var model = (JsonObject)Model.DeepClone();
        model["vocab"] = vocab;
        model["merges"] = new JsonArray([.. _merges.Select(m => PairMerges ? (JsonNode)new JsonArray(m.Left, m.Right) : JsonValue.Create($"{m.Left} {m.Right}"))]);
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = _added.DeepClone(),
            ["normalizer"] = Normalizer?.DeepClone(),
            ["pre_tokenizer"] = PreTokenizer?.DeepClone(),
            ["post_processor"] = PostProcessor?.DeepClone(),
            ["decoder"] = Decoder?.DeepClone(),
            ["model"] = model,
        };
        var tokenizerJson = Path.Combine(directory, "tokenizer.json");
        File.WriteAllText(tokenizerJson, root.ToJsonString());
        string? config = null;
        if (Config is not null)
        {
            config = Path.Combine(directory, "tokenizer_config.json");
            File.WriteAllText(config, Config.ToJsonString());
        }

        return (tokenizerJson, config);
    }

    /// <summary>Classic BPE training: repeatedly merge the most frequent adjacent pair (ties broken by text).</summary>
    private SyntheticTokenizer Learn(IEnumerable<List<string>> corpusWords, int merges)
    {
        var words = corpusWords.ToList();
        for (var m = 0; m < merges; m++)
        {
            var counts = new Dictionary<(string, string), int>();
            foreach (var word in words)
            {
                for (var i = 0; i + 1 < word.Count; i++)
                {
                    counts[(word[i], word[i + 1])] = counts.GetValueOrDefault((word[i], word[i + 1])) + 1;
                }
            }

            if (counts.Count == 0)
            {
                break;
            }

            var best = counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key.Item1 + "\u0001" + c.Key.Item2, StringComparer.Ordinal).First().Key;
            _merges.Add(best);
            Add(best.Item1 + best.Item2);
            foreach (var word in words)
            {
                for (var i = 0; i + 1 < word.Count; i++)
                {
                    if (word[i] == best.Item1 && word[i + 1] == best.Item2)
                    {
                        word[i] += word[i + 1];
                        word.RemoveAt(i + 1);
                    }
                }
            }
        }

        return this;
    }
}
