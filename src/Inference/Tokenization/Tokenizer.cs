using System.Text;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// A Hugging Face tokenizer.json (BPE models: byte-level like GPT-2, Llama 3 and Qwen, or SentencePiece-style with
/// byte fallback like Llama 2 and Gemma), giving the same ids and text as the reference implementation.
/// Encoding: added tokens are cut out first, each remaining piece is normalized, pre-tokenized and merged, and the
/// post-processor's special tokens go around the result. Thread-safe; encoding reuses per-thread buffers.
/// </summary>
/// <remarks>
/// Checked against the reference JavaScript (@huggingface/tokenizers). Where that reference departs from the Rust
/// crate the models were built with, and the real tokenizer files do not reach the difference, we follow the Rust
/// crate: Split behaviours other than Isolated/Removed, single_word added tokens, Metaspace's split option and
/// legacy add_prefix_space, \s as White_Space in ByteLevel's built-in regex, and U+017F folding to "s" in
/// (?i:'s). Decoding follows the reference, which is what the tests can check: invalid byte runs give one U+FFFD
/// per maximal invalid subpart, a byte-fallback run drops a leading BOM, and clean-up follows tokenizer_config.json.
/// Components or options outside what is implemented fail loading with <see cref="TokenizerFormatException"/>.
/// </remarks>
public sealed class Tokenizer
{
    private readonly AddedVocabulary _added;
    private readonly Normalizer? _normalizer;
    private readonly PreTokenizer? _preTokenizer;
    private readonly BpeModel _model;
    private readonly SpecialTokenTemplate _template;
    private readonly TokenDecoder _decoder;
    private readonly Dictionary<string, int> _vocabulary;

    /// <summary>A literal range over a whole piece of text.</summary>
    private static readonly Range[] WholeText = [Range.All];

    private Tokenizer(string tokenizerJsonPath, TokenizerConfig config)
    {
        Config = config;
        using var document = TokenizerFile.ParseJson(tokenizerJsonPath);
        var root = new JsonField(Path.GetFileName(tokenizerJsonPath), "$", document.RootElement);
        if (root.TryProperty("truncation", out var truncation))
        {
            throw truncation.Unsupported("truncation", "null");
        }

        _normalizer = root.TryProperty("normalizer", out var normalizer) ? NormalizerReader.Read(normalizer) : null;
        _preTokenizer = root.TryProperty("pre_tokenizer", out var preTokenizer) ? PreTokenizerReader.Read(preTokenizer) : null;
        _template = root.TryProperty("post_processor", out var postProcessor) ? PostProcessorReader.Read(postProcessor) : SpecialTokenTemplate.None;
        var plan = DecoderPlanReader.Read(root.TryProperty("decoder", out var decoder) ? decoder : default);
        var added = ReadAddedTokens(root);
        var model = root.Property("model");
        var vocabulary = BpeModelReader.ReadVocabulary(model);
        var tokens = TokensById(vocabulary, added);

        // As in the reference, added tokens take over the text they spell, also inside the model.
        foreach (var token in added)
        {
            vocabulary[token.Content] = token.Id;
        }

        _vocabulary = vocabulary;
        _model = new BpeModel(vocabulary, BpeModelReader.ReadMerges(model, vocabulary), BpeModelReader.ReadOptions(model), root.Source);
        _added = new AddedVocabulary(added, _normalizer is null ? null : _normalizer.Normalize);

        var special = added.Where(t => t.Special).Select(t => t.Content).Concat(config.AdditionalSpecialTokens).ToHashSet(StringComparer.Ordinal);
        var addedContents = added.Select(t => t.Content).ToHashSet(StringComparer.Ordinal);
        _decoder = new TokenDecoder(
            tokens,
            Array.ConvertAll(tokens, t => t is not null && special.Contains(t)),
            Array.ConvertAll(tokens, t => t is not null && addedContents.Contains(t)),
            plan,
            config.CleanUpTokenizationSpaces);
    }

    /// <summary>The tokenizer_config.json options in force.</summary>
    public TokenizerConfig Config { get; }

    /// <summary>Highest token id plus one.</summary>
    public int VocabularySize => _decoder.Tokens.Length;

    /// <summary>The added tokens, in file order.</summary>
    public IReadOnlyList<AddedToken> AddedTokens => _added.Tokens;

    /// <summary>Loads tokenizer.json, and tokenizer_config.json when the directory has one.</summary>
    public static Tokenizer FromDirectory(string directory)
    {
        var config = Path.Combine(directory, "tokenizer_config.json");
        return Load(Path.Combine(directory, "tokenizer.json"), File.Exists(config) ? config : null);
    }

    /// <summary>Loads a tokenizer.json, with the options of a tokenizer_config.json if given.</summary>
    /// <exception cref="TokenizerFormatException">A file is malformed or needs something this implementation lacks.</exception>
    public static Tokenizer Load(string tokenizerJsonPath, string? tokenizerConfigPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        var config = tokenizerConfigPath is null ? TokenizerConfig.Default : TokenizerConfig.Read(tokenizerConfigPath);
        return new Tokenizer(tokenizerJsonPath, config);
    }

    /// <summary>The id of a token's text (model vocabulary or added token), if there is one.</summary>
    public int? TokenToId(string token) => _vocabulary.TryGetValue(token, out var id) ? id : null;

    /// <summary>The text of a token id as stored in the vocabulary (byte-level or "▁" form), if there is one.</summary>
    public string? IdToToken(int id) => (uint)id < (uint)_decoder.Tokens.Length ? _decoder.Tokens[id] : null;

    /// <summary>
    /// The UTF-8 bytes token <paramref name="id"/> contributes to decoded text in the middle of a sequence: byte-level
    /// and byte-fallback tokens as their raw bytes (possibly part of a character). Null for special tokens and ids
    /// without text. Throws when the decoder joins tokens with spaces (no decoder at all): tokens have no own bytes then.
    /// </summary>
    public byte[]? TokenBytes(int id) => _decoder.Plan.JoinWithSpaces
        ? throw new NotSupportedException("This tokenizer has no decoder (tokens are joined with spaces), so its tokens have no bytes of their own.")
        : _decoder.MidSequenceBytes(id);

    /// <summary>Whether decoding with skipSpecialTokens drops this id.</summary>
    public bool IsSpecialToken(int id) => (uint)id < (uint)_decoder.Skippable.Length && _decoder.Skippable[id];

    /// <summary>Token ids for <paramref name="text"/>; with <paramref name="addSpecialTokens"/>, the post-processor's BOS/EOS too.</summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3);
        Encode(text, ids, addSpecialTokens);
        return [.. ids];
    }

    /// <summary>
    /// Token ids for <paramref name="text"/> in which the <paramref name="literal"/> ranges never produce special
    /// tokens: a special token's text there is tokenized as plain text (transformers' split_special_tokens, for part of
    /// the text). For text that came from a user, such as a chat message's content inside a rendered template.
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens, IReadOnlyList<Range> literal)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(literal);
        var ids = new List<int>(text.Length / 3);
        Encode(text, ids, addSpecialTokens, literal);
        return [.. ids];
    }

    /// <summary>Appends the token ids for <paramref name="text"/> to <paramref name="ids"/>.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> ids, bool addSpecialTokens = true) => Encode(text, ids, addSpecialTokens, null);

    private void Encode(ReadOnlySpan<char> text, List<int> ids, bool addSpecialTokens, IReadOnlyList<Range>? literal)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (addSpecialTokens)
        {
            ids.AddRange(_template.Prefix);
        }

        var scratch = EncodeScratch.ForCurrentThread();
        var sections = scratch.RawSections;
        _added.SplitRaw(text, sections, literal);
        for (var i = 0; i < sections.Count; i++)
        {
            var section = sections[i];
            if (section.Length == 0)
            {
                continue;
            }

            if (_added.TryGetToken(text, section, literal is not null, out var token))
            {
                ids.Add(token.Id);
                continue;
            }

            var piece = text[section.Start..section.End];
            if (_normalizer is not null)
            {
                var normalized = scratch.NormalizedText;
                normalized.Clear();
                _normalizer.Normalize(piece, normalized, scratch);
                piece = normalized.Span;
            }

            // Normalizing moves offsets: in a piece that holds literal text, no normalized special token is matched.
            var pieceLiteral = literal is not null && LiteralRanges.Overlap(literal, text.Length, section.Start, section.End) ? WholeText : null;
            EncodeNormalized(piece, i, ids, scratch, pieceLiteral);
        }

        if (addSpecialTokens)
        {
            ids.AddRange(_template.Suffix);
        }
    }

    /// <summary>The text of <paramref name="ids"/>; with <paramref name="skipSpecialTokens"/>, special tokens are left out.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var detokenizer = CreateStreamingDetokenizer(skipSpecialTokens);
        var text = new StringBuilder(ids.Length * 4);
        foreach (var id in ids)
        {
            text.Append(detokenizer.Push(id));
        }

        return text.Append(detokenizer.Finish()).ToString();
    }

    /// <summary>A detokenizer for streaming one sequence of ids as text deltas.</summary>
    public StreamingDetokenizer CreateStreamingDetokenizer(bool skipSpecialTokens = false) => new(_decoder, skipSpecialTokens);

    private static List<AddedToken> ReadAddedTokens(JsonField root)
    {
        var added = new List<AddedToken>();
        if (!root.TryProperty("added_tokens", out var list))
        {
            return added;
        }

        foreach (var item in list.Items())
        {
            var special = item.OptionalBoolean("special", false);
            added.Add(new AddedToken(
                item.Property("id").GetInt32(),
                item.Property("content").GetString(),
                special,
                item.OptionalBoolean("single_word", false),
                item.OptionalBoolean("lstrip", false),
                item.OptionalBoolean("rstrip", false),
                item.OptionalBoolean("normalized", !special)));
        }

        return added;
    }

    private static string?[] TokensById(Dictionary<string, int> vocabulary, List<AddedToken> added)
    {
        var size = Math.Max(vocabulary.Count == 0 ? 0 : vocabulary.Values.Max() + 1, added.Count == 0 ? 0 : added.Max(t => t.Id) + 1);
        var tokens = new string?[size];
        foreach (var (text, id) in vocabulary)
        {
            tokens[id] = text;
        }

        foreach (var token in added)
        {
            tokens[token.Id] = token.Content;
        }

        return tokens;
    }

    private void EncodeNormalized(ReadOnlySpan<char> text, int sectionIndex, List<int> ids, EncodeScratch scratch, IReadOnlyList<Range>? literal)
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (!_added.HasNormalizedTokens)
        {
            EncodeWords(text, sectionIndex, ids, scratch);
            return;
        }

        var sections = scratch.NormalizedSections;
        _added.SplitNormalized(text, sections, literal);
        foreach (var section in sections)
        {
            if (section.Length == 0)
            {
                continue;
            }

            if (_added.TryGetToken(text, section, literal is not null, out var token))
            {
                ids.Add(token.Id);
            }
            else
            {
                EncodeWords(text[section.Start..section.End], sectionIndex, ids, scratch);
            }
        }
    }

    private void EncodeWords(ReadOnlySpan<char> text, int sectionIndex, List<int> ids, EncodeScratch scratch)
    {
        var start = ids.Count;
        if (_preTokenizer is null)
        {
            _model.Tokenize(text, ids, scratch.Bpe);
        }
        else
        {
            var words = scratch.PreTokens;
            words.Reset(text, sectionIndex);
            _preTokenizer.PreTokenize(words);
            for (var w = 0; w < words.Count; w++)
            {
                _model.Tokenize(words.Piece(w), ids, scratch.Bpe);
            }
        }

        _model.FuseUnknown(ids, start);
    }
}
