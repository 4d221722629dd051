using System.Text.Json;

namespace Appliance.Quantize.Synthetic;

/// <summary>
/// Writes a byte-level BPE tokenizer.json (Hugging Face tokenizers format, GPT-2 style) of an exact vocabulary size,
/// with ChatML special tokens, and a tokenizer_config.json carrying a ChatML chat template.
/// </summary>
public static class GeneratedTokenizer
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    public const string ChatTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
        + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static readonly string[] SpecialTokens = [EndOfText, ImStart, ImEnd];

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="directory"/>.</summary>
    public static TokenizerIds Write(string directory, int vocabSize, int modelMaxLength, string notice)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (vocabSize < 256 + SpecialTokens.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, $"A byte-level tokenizer needs at least {256 + SpecialTokens.Length} tokens.");
        }

        var modelVocabularySize = vocabSize - SpecialTokens.Length;
        var (vocabulary, merges) = ByteLevelBpeTrainer.Train(modelVocabularySize);
        WriteTokenizerJson(Path.Combine(directory, "tokenizer.json"), vocabulary, merges, modelVocabularySize, notice);
        WriteTokenizerConfig(Path.Combine(directory, "tokenizer_config.json"), modelVocabularySize, modelMaxLength, notice);
        var endOfText = modelVocabularySize;
        var imEnd = modelVocabularySize + 2;
        return new TokenizerIds(vocabSize, endOfText, [imEnd, endOfText], endOfText);
    }

    private static void WriteTokenizerJson(string path, List<string> vocabulary, List<(string Left, string Right)> merges, int firstSpecialId, string notice)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, SyntheticJson.WriterOptions);
        json.WriteStartObject();
        json.WriteString("_comment", notice);
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");
        json.WriteStartArray("added_tokens");
        for (var i = 0; i < SpecialTokens.Length; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", firstSpecialId + i);
            json.WriteString("content", SpecialTokens[i]);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteNull("normalizer");
        WriteByteLevel(json, "pre_tokenizer", addPrefixSpace: false, trimOffsets: true);
        WriteByteLevel(json, "post_processor", addPrefixSpace: true, trimOffsets: false);
        WriteByteLevel(json, "decoder", addPrefixSpace: true, trimOffsets: true);
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", false);
        json.WriteStartObject("vocab");
        for (var id = 0; id < vocabulary.Count; id++)
        {
            json.WriteNumber(vocabulary[id], id);
        }

        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in merges)
        {
            json.WriteStartArray();
            json.WriteStringValue(left);
            json.WriteStringValue(right);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, string name, bool addPrefixSpace, bool trimOffsets)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", addPrefixSpace);
        json.WriteBoolean("trim_offsets", trimOffsets);
        json.WriteBoolean("use_regex", true);
        json.WriteEndObject();
    }

    private static void WriteTokenizerConfig(string path, int firstSpecialId, int modelMaxLength, string notice)
    {
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, SyntheticJson.WriterOptions);
        json.WriteStartObject();
        json.WriteString("_comment", notice);
        json.WriteBoolean("add_bos_token", false);
        json.WriteBoolean("add_eos_token", false);
        json.WriteStartObject("added_tokens_decoder");
        for (var i = 0; i < SpecialTokens.Length; i++)
        {
            json.WriteStartObject((firstSpecialId + i).ToString(System.Globalization.CultureInfo.InvariantCulture));
            json.WriteString("content", SpecialTokens[i]);
            json.WriteBoolean("lstrip", false);
            json.WriteBoolean("normalized", false);
            json.WriteBoolean("rstrip", false);
            json.WriteBoolean("single_word", false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteString("bos_token", EndOfText);
        json.WriteString("chat_template", ChatTemplate);
        json.WriteBoolean("clean_up_tokenization_spaces", false);
        json.WriteString("eos_token", ImEnd);
        json.WriteNumber("model_max_length", modelMaxLength);
        json.WriteString("pad_token", EndOfText);
        json.WriteString("tokenizer_class", "PreTrainedTokenizerFast");
        json.WriteNull("unk_token");
        json.WriteEndObject();
    }
}
