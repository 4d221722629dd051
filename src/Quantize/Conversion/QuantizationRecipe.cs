using System.Globalization;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// How `convert --precision int4|int8` quantizes: block size, grid kind and method shared by every quantized tensor, the
/// formats of the token embeddings and lm_head (default: the linear layers' format), and the MatMulNBits accuracy_level.
/// </summary>
internal sealed record QuantizationRecipe
{
    /// <summary>
    /// accuracy_level 4: MatMulNBits quantizes each activation block to int8 and multiplies with integer dot products
    /// (AVX-VNNI / AVX512-VNNI on x64, SDOT/I8MM on ARM64), the fastest CPU path for both 4- and 8-bit weights.
    /// </summary>
    public const int Int8ComputeAccuracyLevel = 4;

    public static IReadOnlyList<int> BlockSizes { get; } = [32, 64, 128];

    public static IReadOnlyList<int> AccuracyLevels { get; } = [0, 1, Int8ComputeAccuracyLevel];

    public int BlockSize { get; init; } = 32;

    public bool Symmetric { get; init; }

    public QuantizationMethod Method { get; init; } = QuantizationMethod.RoundToNearest;

    /// <summary>Null: the linear layers' format.</summary>
    public WeightFormat? Embeddings { get; init; }

    /// <summary>Null: the linear layers' format.</summary>
    public WeightFormat? LmHead { get; init; }

    public int AccuracyLevel { get; init; } = Int8ComputeAccuracyLevel;

    public static string MethodName(QuantizationMethod method) => method switch
    {
        QuantizationMethod.RoundToNearest => "rtn",
        QuantizationMethod.HalfQuadratic => "hqq",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    public static QuantizationMethod ParseMethod(string name) => name switch
    {
        "rtn" => QuantizationMethod.RoundToNearest,
        "hqq" => QuantizationMethod.HalfQuadratic,
        _ => throw new ConversionException($"--method '{name}' is not supported: use rtn or hqq."),
    };

    /// <summary>The block options for tensors stored in <paramref name="format"/> (a quantized one).</summary>
    public BlockQuantizationOptions Options(WeightFormat format) => new()
    {
        Bits = format.Bits(),
        BlockSize = BlockSize,
        Symmetric = Symmetric,
        Method = Method,
        ScalePrecision = ScalePrecision.Float32,
    };

    public WeightFormat EmbeddingsFormat(ConversionPrecision precision) => Embeddings ?? precision.LinearFormat();

    public WeightFormat LmHeadFormat(ConversionPrecision precision) => LmHead ?? precision.LinearFormat();

    /// <summary>Throws naming the option when the recipe cannot apply to <paramref name="precision"/>.</summary>
    public void Validate(ConversionPrecision precision)
    {
        if (!BlockSizes.Contains(BlockSize))
        {
            throw new ConversionException($"--block-size {BlockSize} is not supported: use {string.Join(", ", BlockSizes)}.");
        }

        if (!AccuracyLevels.Contains(AccuracyLevel))
        {
            throw new ConversionException($"--accuracy-level {AccuracyLevel} is not supported on the CPU: use {string.Join(", ", AccuracyLevels)}.");
        }

        if (!precision.IsQuantized() && (EmbeddingsFormat(precision).IsQuantized() || LmHeadFormat(precision).IsQuantized()))
        {
            throw new ConversionException($"--embeddings and --lm-head int4/int8 need --precision int4 or int8, not {precision.Name()}.");
        }
    }

    /// <summary>The manifest recipe entries for a model converted at <paramref name="precision"/>.</summary>
    /// <param name="tiedStorage">How the embedding and lm_head tables were stored: untied, shared or separate.</param>
    public void Describe(ConversionPrecision precision, string tiedStorage, IDictionary<string, string> recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        if (!precision.IsQuantized())
        {
            return;
        }

        recipe["block_size"] = BlockSize.ToString(CultureInfo.InvariantCulture);
        recipe["symmetric"] = Symmetric ? "true" : "false";
        recipe["method"] = MethodName(Method);
        recipe["scales"] = "float32";
        recipe["embeddings"] = EmbeddingsFormat(precision).Name();
        recipe["lm_head"] = LmHeadFormat(precision).Name();
        recipe["accuracy_level"] = AccuracyLevel.ToString(CultureInfo.InvariantCulture);
        recipe["embedding_tables"] = tiedStorage;
    }
}
