using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Appliance.Inference.Tokenization;

/// <summary>
/// Reads tokenizer.json's "model" (BPE only): the vocabulary, the options that affect output, and the merges, which
/// it resolves to ids through the final vocabulary (added tokens laid over the model's, as the reference does).
/// Merges are read without allocating per merge: there are hundreds of thousands.
/// </summary>
internal static class BpeModelReader
{
    public static Dictionary<string, int> ReadVocabulary(JsonField model)
    {
        var type = model.Property("type");
        if (type.GetString() != "BPE")
        {
            throw type.Unsupported($"model type '{type.GetString()}'", "BPE");
        }

        var vocab = model.Property("vocab");
        if (vocab.Value.ValueKind != JsonValueKind.Object)
        {
            throw vocab.Error("must be an object");
        }

        var vocabulary = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.Value.EnumerateObject())
        {
            vocabulary[entry.Name] = entry.Value.TryGetInt32(out var id) && id >= 0
                ? id
                : throw new JsonField(vocab.Source, $"{vocab.Path}[\"{entry.Name}\"]", entry.Value).Error("must be a non-negative id");
        }

        return vocabulary;
    }

    public static BpeOptions ReadOptions(JsonField model)
    {
        if (model.TryProperty("dropout", out var dropout) && (dropout.Value.ValueKind != JsonValueKind.Number || dropout.Value.GetDouble() != 0))
        {
            throw dropout.Unsupported($"dropout {dropout.Value.GetRawText()}", "null or 0");
        }

        foreach (var affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
        {
            if (model.OptionalString(affix) is { Length: > 0 } value)
            {
                throw model.Property(affix).Unsupported($"{affix} '{value}'", "null or \"\"");
            }
        }

        return new BpeOptions(
            model.OptionalString("unk_token"),
            model.OptionalBoolean("byte_fallback", false),
            model.OptionalBoolean("fuse_unk", false),
            model.OptionalBoolean("ignore_merges", false));
    }

    /// <summary>Merges in rank order as (left id, right id, merged id). Each is "left right" or ["left", "right"].</summary>
    public static List<(int Left, int Right, int Merged)> ReadMerges(JsonField model, Dictionary<string, int> vocabulary)
    {
        var lookup = vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        var merges = model.Property("merges");
        if (merges.Value.ValueKind != JsonValueKind.Array)
        {
            throw merges.Error("must be an array");
        }

        var resolved = new List<(int, int, int)>(merges.Value.GetArrayLength());
        var text = new CharBuffer(256);
        foreach (var merge in merges.Value.EnumerateArray())
        {
            text.Clear();
            int split;
            if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                AppendString(merge[0], text, resolved.Count, merges);
                split = text.Length;
                AppendString(merge[1], text, resolved.Count, merges);
            }
            else
            {
                AppendString(merge, text, resolved.Count, merges);
                split = text.Span.IndexOf(' ');
                if (split <= 0 || split == text.Length - 1 || text.Span[(split + 1)..].Contains(' '))
                {
                    throw Field(merges, resolved.Count, merge).Error("must be two tokens separated by one space, or a pair of tokens");
                }

                // Drop the separator: what remains spells the merged token, and the halves sit either side of `split`.
                text.RemoveAt(split);
            }

            var all = text.Span;
            resolved.Add((
                Resolve(lookup, all[..split], merges, resolved.Count),
                Resolve(lookup, all[split..], merges, resolved.Count),
                Resolve(lookup, all, merges, resolved.Count)));
        }

        return resolved;
    }

    private static JsonField Field(JsonField merges, int index, JsonElement element) => new(merges.Source, $"{merges.Path}[{index}]", element);

    private static void AppendString(JsonElement element, CharBuffer text, int index, JsonField merges)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            throw Field(merges, index, element).Error("must hold strings");
        }

        var raw = JsonMarshal.GetRawUtf8Value(element);
        raw = raw[1..^1];
        if (raw.Contains((byte)'\\'))
        {
            // Escaped text: let the parser unescape it (rare in practice).
            text.Append(element.GetString());
            return;
        }

        var length = text.Length;
        var written = Encoding.UTF8.GetChars(raw, text.Extend(raw.Length));
        text.Truncate(length + written);
    }

    private static int Resolve(Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup, ReadOnlySpan<char> token, JsonField merges, int index) =>
        lookup.TryGetValue(token, out var id)
            ? id
            : throw new TokenizerFormatException($"{merges.Source}: {merges.Path}[{index}] needs '{token}', which is not in model.vocab.");
}
