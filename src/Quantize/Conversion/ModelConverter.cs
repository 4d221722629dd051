using Appliance.Inference.Models;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Onnx;
using Appliance.Quantize.Quantization;

namespace Appliance.Quantize.Conversion;

/// <summary>
/// Hugging Face checkpoint -> model directory: model.onnx + model.onnx.data, genai_config.json, tokenizer files,
/// manifest.json, and for int4/int8 quantization_report.json. The directory is assembled next to the target and moved
/// into place only when complete, and the same input and recipe always yield byte-identical files.
/// </summary>
internal static class ModelConverter
{
    /// <summary>Bumped whenever the graph layout changes; recorded in the manifest recipe.</summary>
    public const string ConverterVersion = "3";

    public const string ModelFileName = "model.onnx";
    public const string ExternalDataFileName = "model.onnx.data";

    /// <summary>Copied verbatim when the checkpoint has them; the appliance tokenizes with the first two.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", GenerationDefaults.FileName];

    /// <param name="progress">Told about every weight tensor as it is written; null for none.</param>
    public static ConversionResult Convert(ConversionOptions options, ConversionProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Recipe.Validate(options.Precision);
        var output = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.OutputDirectory));
        RequireEmptyOrMissing(output);

        using var checkpoint = HfCheckpoint.Open(options.HfDirectory);
        var config = checkpoint.Config;
        var contextLength = ResolveContextLength(config, options.ContextLength);
        RequireGraphSupports(config);

        var staging = $"{output}.partial";
        if (Path.Exists(staging))
        {
            throw new ConversionException($"{staging} exists (left by an interrupted conversion?); remove it and run again.");
        }

        Directory.CreateDirectory(staging);
        try
        {
            var warnings = new List<string>();
            if (LargeCacheWarning(config, contextLength, options.Precision) is { } cacheWarning)
            {
                warnings.Add(cacheWarning);
            }

            if (SlowInt8Warning(options) is { } int8Warning)
            {
                warnings.Add(int8Warning);
            }

            var recipe = Recipe(options, contextLength, checkpoint.SyntheticNotice);
            var files = WriteModelDirectory(checkpoint, options, contextLength, staging, warnings, recipe, progress);
            var manifest = ModelManifest.Create(
                staging,
                files,
                new ManifestSource(options.ModelId, config.ArchitectureName, FileSha256.Compute(Path.Combine(checkpoint.Directory, HfModelConfig.FileName)), options.License),
                recipe);
            manifest.Save(staging);

            if (Directory.Exists(output))
            {
                Directory.Delete(output); // empty, checked above
            }

            Directory.Move(staging, output);
            return new ConversionResult(output, manifest, warnings);
        }
        catch
        {
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static List<string> WriteModelDirectory(
        HfCheckpoint checkpoint, ConversionOptions options, int contextLength, string directory, List<string> warnings,
        Dictionary<string, string> recipe, ConversionProgress? progress)
    {
        List<string> files = [ModelFileName, ExternalDataFileName, GenAiConfig.FileName];
        using (var writer = new OnnxModelWriter(Path.Combine(directory, ModelFileName), ExternalDataFileName))
        {
            var settings = new DecoderGraphSettings(options.Precision, options.AllLogits, contextLength) { Quantization = options.Recipe };
            var builder = new DecoderGraphBuilder(writer, checkpoint, settings, progress);
            builder.Build();
            writer.Save();
            options.Recipe.Describe(options.Precision, builder.TiedStorage, recipe);
            if (options.Precision.IsQuantized())
            {
                builder.Quantizer.Report.Save(directory);
                files.Add(QuantizationReport.FileName);
            }
        }

        var generation = GenerationDefaults.Load(Path.Combine(checkpoint.Directory, GenerationDefaults.FileName));
        GenAiConfigFactory.Create(checkpoint.Config, generation, contextLength, ModelFileName).Save(Path.Combine(directory, GenAiConfig.FileName));

        foreach (var name in TokenizerFiles)
        {
            var source = Path.Combine(checkpoint.Directory, name);
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(directory, name));
                files.Add(name);
            }
            else if (name is "tokenizer.json" or "tokenizer_config.json")
            {
                warnings.Add($"{source} not found: the appliance needs it next to the model to tokenize and apply the chat template.");
            }
        }

        return files;
    }

    /// <summary>The manifest key saying the source checkpoint has random weights (its value says so in words).</summary>
    public const string SyntheticWeightsKey = "synthetic_weights";

    private static Dictionary<string, string> Recipe(ConversionOptions options, int contextLength, string? syntheticNotice)
    {
        var recipe = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["converter"] = "appliance-quantize convert",
            ["converter_version"] = ConverterVersion,
            ["precision"] = options.Precision.Name(),
            ["logits"] = options.AllLogits ? "all_positions" : "last_position",
            ["context_length"] = contextLength.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (syntheticNotice is not null)
        {
            recipe[SyntheticWeightsKey] = syntheticNotice;
        }

        return recipe;
    }

    private static int ResolveContextLength(HfModelConfig config, int? requested)
    {
        var length = requested ?? config.MaxPositionEmbeddings;
        if (length <= 0 || length > config.MaxPositionEmbeddings)
        {
            throw new ConversionException(
                $"--context-length {length} must be between 1 and the checkpoint's max_position_embeddings ({config.MaxPositionEmbeddings}).");
        }

        return length;
    }

    // ONNX Runtime's GroupQueryAttention rotates with cos/sin caches only when head_size is a multiple of 16.
    private static void RequireGraphSupports(HfModelConfig config)
    {
        if (config.HeadDim % 16 != 0)
        {
            throw new ConversionException(
                $"{config.ArchitectureName} head_dim {config.HeadDim} is not a multiple of 16, which ONNX Runtime's GroupQueryAttention requires for rotary embedding.");
        }
    }

    // The generator preallocates the shared KV buffers for search.max_length positions; a checkpoint's full
    // max_position_embeddings (128K for Llama 3.x) can need more memory than an edge board has.
    internal static string? LargeCacheWarning(HfModelConfig config, int contextLength, ConversionPrecision precision)
    {
        const long GiB = 1L << 30;
        var elementBytes = precision == ConversionPrecision.Fp16 ? 2 : 4;
        var bytes = 2L * config.NumHiddenLayers * config.NumKeyValueHeads * config.HeadDim * contextLength * elementBytes;
        return bytes <= GiB
            ? null
            : string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"context length {contextLength} means a {bytes / (double)GiB:F1} GiB KV cache per sequence; pass --context-length to bound it (e.g. 4096).");
    }

    // ONNX Runtime 1.30's CPU MatMulNBits packs 8-bit weights only for int8 compute; at any other accuracy_level it
    // dequantizes every weight on every run (measured 50x slower decode on s135).
    internal static string? SlowInt8Warning(ConversionOptions options)
    {
        var recipe = options.Recipe;
        var int8 = options.Precision.LinearFormat() == WeightFormat.Int8 || recipe.LmHeadFormat(options.Precision) == WeightFormat.Int8;
        return int8 && recipe.AccuracyLevel != QuantizationRecipe.Int8ComputeAccuracyLevel
            ? $"int8 weights with --accuracy-level {recipe.AccuracyLevel} have no packed CPU kernel in ONNX Runtime: every run dequantizes them all. Use --accuracy-level {QuantizationRecipe.Int8ComputeAccuracyLevel} unless the model runs on a GPU."
            : null;
    }

    private static void RequireEmptyOrMissing(string output)
    {
        if (File.Exists(output))
        {
            throw new ConversionException($"Output {output} is a file; give a directory that does not exist or is empty.");
        }

        if (Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new ConversionException($"Output directory {output} is not empty; give a new or empty directory.");
        }
    }
}
