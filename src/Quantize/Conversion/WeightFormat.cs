namespace Appliance.Quantize.Conversion;

/// <summary>How one group of weights (linear layers, token embeddings, lm_head) is stored.</summary>
internal enum WeightFormat
{
    /// <summary>The graph's float type (float32, or float16 in an fp16 model).</summary>
    Float,

    /// <summary>4-bit block-quantized codes.</summary>
    Int4,

    /// <summary>8-bit block-quantized codes.</summary>
    Int8,
}

internal static class WeightFormatExtensions
{
    public static IReadOnlyList<WeightFormat> All { get; } = [WeightFormat.Float, WeightFormat.Int4, WeightFormat.Int8];

    /// <summary>Code width in bits; 0 for float.</summary>
    public static int Bits(this WeightFormat format) => format switch
    {
        WeightFormat.Int4 => 4,
        WeightFormat.Int8 => 8,
        _ => 0,
    };

    public static bool IsQuantized(this WeightFormat format) => format != WeightFormat.Float;

    /// <summary>The spelling of --embeddings / --lm-head and the manifest recipe.</summary>
    public static string Name(this WeightFormat format) => format switch
    {
        WeightFormat.Float => "fp",
        WeightFormat.Int4 => "int4",
        WeightFormat.Int8 => "int8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    public static WeightFormat Parse(string name, string option) =>
        All.FirstOrDefault(f => f.Name() == name, (WeightFormat)(-1)) is var format && format >= 0
            ? format
            : throw new ConversionException($"{option} '{name}' is not supported: use {string.Join(", ", All.Select(f => f.Name()))}.");
}
