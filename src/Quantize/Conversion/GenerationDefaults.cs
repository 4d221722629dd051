using System.Text.Json;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// The fields of a checkpoint's optional generation_config.json that seed genai_config.json: extra stop ids
/// (Llama 3 instruct lists its end-of-turn ids only here) and the model author's default sampling settings.
/// </summary>
internal sealed record GenerationDefaults(
    int? BosTokenId,
    int[] EosTokenIds,
    int? PadTokenId,
    bool? DoSample,
    double? Temperature,
    int? TopK,
    double? TopP)
{
    public const string FileName = "generation_config.json";

    public static readonly GenerationDefaults None = new(null, [], null, null, null, null, null);

    /// <summary>Reads <paramref name="path"/>, or returns <see cref="None"/> when the file does not exist.</summary>
    public static GenerationDefaults Load(string path)
    {
        if (!File.Exists(path))
        {
            return None;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ConversionException($"{path}: expected a JSON object.");
            }

            return new GenerationDefaults(
                OptionalInt(root, "bos_token_id", path),
                IntOrIntList(root, "eos_token_id", path),
                OptionalInt(root, "pad_token_id", path),
                OptionalBool(root, "do_sample", path),
                OptionalDouble(root, "temperature", path),
                OptionalInt(root, "top_k", path),
                OptionalDouble(root, "top_p", path));
        }
        catch (JsonException e)
        {
            throw new ConversionException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    private static bool Present(JsonElement root, string name, out JsonElement value) =>
        root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    private static int? OptionalInt(JsonElement root, string name, string path) =>
        !Present(root, name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number
        : throw Invalid(path, name, value, "an integer");

    private static double? OptionalDouble(JsonElement root, string name, string path) =>
        !Present(root, name, out var value) ? null
        : value.ValueKind == JsonValueKind.Number ? value.GetDouble()
        : throw Invalid(path, name, value, "a number");

    private static bool? OptionalBool(JsonElement root, string name, string path) =>
        !Present(root, name, out var value) ? null
        : value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean()
        : throw Invalid(path, name, value, "true or false");

    private static int[] IntOrIntList(JsonElement root, string name, string path)
    {
        if (!Present(root, name, out var value))
        {
            return [];
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var single))
        {
            return [single];
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            var ids = new int[value.GetArrayLength()];
            var i = 0;
            foreach (var item in value.EnumerateArray())
            {
                ids[i++] = item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out var id)
                    ? id
                    : throw Invalid(path, name, value, "an integer or a list of integers");
            }

            return ids;
        }

        throw Invalid(path, name, value, "an integer or a list of integers");
    }

    private static ConversionException Invalid(string path, string name, JsonElement value, string expected) =>
        new($"{path}: field \"{name}\" = {value.GetRawText()} must be {expected}.");
}
