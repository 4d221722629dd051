using System.Text.Json;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Synthetic;

/// <summary>
/// Uses a real tokenizer for a synthetic model: copies tokenizer.json (and tokenizer_config.json /
/// special_tokens_map.json from beside it) and reads the id space and bos/eos/pad ids from them.
/// </summary>
public static class ExistingTokenizer
{
    private static readonly string[] CompanionFiles = ["tokenizer_config.json", "special_tokens_map.json"];

    public static TokenizerIds Copy(string tokenizerJsonPath, string directory)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJsonPath);
        ArgumentNullException.ThrowIfNull(directory);
        var ids = Read(tokenizerJsonPath);
        File.Copy(tokenizerJsonPath, Path.Combine(directory, "tokenizer.json"), overwrite: true);
        var sourceDirectory = Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!;
        foreach (var name in CompanionFiles)
        {
            var source = Path.Combine(sourceDirectory, name);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(directory, name), overwrite: true);
            }
        }

        return ids;
    }

    /// <summary>Reads the id space and special token ids without copying anything.</summary>
    public static TokenizerIds Read(string tokenizerJsonPath)
    {
        ArgumentNullException.ThrowIfNull(tokenizerJsonPath);
        if (!File.Exists(tokenizerJsonPath))
        {
            throw new HfCheckpointException($"{tokenizerJsonPath}: tokenizer file not found.");
        }

        var tokenIds = ReadTokenIds(tokenizerJsonPath);
        var vocabSize = tokenIds.Values.Max() + 1;
        var specials = ReadSpecialTokenNames(Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!)
            ?? throw new HfCheckpointException(
                $"{tokenizerJsonPath}: no tokenizer_config.json or special_tokens_map.json beside it names the eos_token; the model needs one.");

        int? Lookup(string? token, string field) =>
            token is null ? null
            : tokenIds.TryGetValue(token, out var id) ? id
            : throw new HfCheckpointException($"{specials.Source}: {field} \"{token}\" is not a token of {tokenizerJsonPath}.");

        var eos = Lookup(specials.Eos, "eos_token")
            ?? throw new HfCheckpointException($"{specials.Source}: eos_token is missing; the model needs one.");
        return new TokenizerIds(vocabSize, Lookup(specials.Bos, "bos_token"), [eos], Lookup(specials.Pad, "pad_token"));
    }

    private static Dictionary<string, int> ReadTokenIds(string path)
    {
        using var document = ParseJson(path);
        var root = new JsonFieldReader(document.RootElement, path);
        var model = root.OptionalObject("model") ?? throw root.Error("model", "is required but missing");
        var vocab = model.OptionalObject("vocab") ?? throw model.Error("vocab", "is required but missing");
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in vocab.Element.EnumerateObject())
        {
            ids[entry.Name] = vocab.AsInt(entry.Value, $"model.vocab.{entry.Name}");
        }

        if (root.Has("added_tokens"))
        {
            foreach (var token in root.RequiredArray("added_tokens").EnumerateArray())
            {
                var fields = new JsonFieldReader(token, path, "added_tokens[]");
                ids[fields.RequiredString("content")] = fields.RequiredInt("id");
            }
        }

        return ids.Count > 0 ? ids : throw model.Error("vocab", "is empty");
    }

    private static SpecialTokenNames? ReadSpecialTokenNames(string directory)
    {
        foreach (var name in CompanionFiles)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path))
            {
                continue;
            }

            using var document = ParseJson(path);
            var root = new JsonFieldReader(document.RootElement, path);
            return new SpecialTokenNames(path, TokenContent(root, "bos_token"), TokenContent(root, "eos_token"), TokenContent(root, "pad_token"));
        }

        return null;
    }

    // A special token is written either as its text or as an AddedToken object {"content": ...}.
    private static string? TokenContent(JsonFieldReader root, string field) =>
        root.Element.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Object
            ? root.OptionalObject(field)!.Value.RequiredString("content")
            : root.OptionalString(field);

    private static JsonDocument ParseJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new HfCheckpointException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    private sealed record SpecialTokenNames(string Source, string? Bos, string? Eos, string? Pad);
}
