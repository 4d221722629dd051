using System.Globalization;

namespace Appliance.Quantize.Conversion;

/// <summary>Graph input/output names (contract E); genai_config.json is written from the same constants.</summary>
internal static class DecoderGraphNames
{
    public const string InputIds = "input_ids";
    public const string AttentionMask = "attention_mask";
    public const string Logits = "logits";

    // ONNX Runtime GenAI's printf-style patterns: %d is the layer index.
    public const string PastKeyPattern = "past_key_values.%d.key";
    public const string PastValuePattern = "past_key_values.%d.value";
    public const string PresentKeyPattern = "present.%d.key";
    public const string PresentValuePattern = "present.%d.value";

    public static string PastKey(int layer) => Format(PastKeyPattern, layer);

    public static string PastValue(int layer) => Format(PastValuePattern, layer);

    public static string PresentKey(int layer) => Format(PresentKeyPattern, layer);

    public static string PresentValue(int layer) => Format(PresentValuePattern, layer);

    private static string Format(string pattern, int layer) =>
        pattern.Replace("%d", layer.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
