using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Appliance.Inference.Models;
using Appliance.Quantize.Conversion;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Cli;

/// <summary>`quantize convert HF_DIR OUT_DIR`: a Hugging Face checkpoint to the (optionally quantized) model directory the appliance loads.</summary>
internal static class ConvertCommand
{
    internal static Command Create()
    {
        var hfDirectory = new Argument<string>("HF_DIR") { Description = "Hugging Face checkpoint directory (config.json, *.safetensors, tokenizer files)" };
        var outputDirectory = new Argument<string>("OUT_DIR") { Description = "Model directory to create (must not exist or be empty)" };
        var precision = new Option<string>("--precision")
        {
            Description = "Linear weights: fp32/fp16 (also the activations and KV cache), or int4/int8 block-quantized (MatMulNBits) with float32 activations",
            DefaultValueFactory = _ => ConversionPrecision.Fp32.Name(),
        };
        precision.AcceptOnlyFromAmong([.. ConversionPrecisionExtensions.All.Select(p => p.Name())]);
        var blockSize = new Option<int>("--block-size")
        {
            Description = "Int4/int8: weights per quantization block (one scale, and zero point unless --symmetric)",
            DefaultValueFactory = _ => new QuantizationRecipe().BlockSize,
        };
        blockSize.AcceptOnlyFromAmong([.. QuantizationRecipe.BlockSizes.Select(b => b.ToString(CultureInfo.InvariantCulture))]);
        var symmetric = new Option<bool>("--symmetric") { Description = "Int4/int8: no zero points (the default zero point 2^(bits-1)); default: a zero point per block" };
        var method = new Option<string>("--method")
        {
            Description = "Int4/int8: rtn (round to nearest) or hqq (half-quadratic: refits each block's scale and zero point, calibration-free)",
            DefaultValueFactory = _ => QuantizationRecipe.MethodName(new QuantizationRecipe().Method),
        };
        method.AcceptOnlyFromAmong("rtn", "hqq");
        var embeddings = FormatOption("--embeddings", "token embedding table (GatherBlockQuantized when quantized)");
        var lmHead = FormatOption("--lm-head", "output projection (MatMulNBits when quantized); a tied table in the same format is stored once");
        var accuracyLevel = new Option<int>("--accuracy-level")
        {
            Description = "MatMulNBits accuracy_level: 4 = int8 activations and integer dot products (fastest on CPU), 1 = float32, 0 = unset",
            DefaultValueFactory = _ => QuantizationRecipe.Int8ComputeAccuracyLevel,
        };
        accuracyLevel.AcceptOnlyFromAmong([.. QuantizationRecipe.AccuracyLevels.Select(l => l.ToString(CultureInfo.InvariantCulture))]);
        var allLogits = new Option<bool>("--all-logits") { Description = "Output logits for every position (default: last position only)" };
        var contextLength = new Option<int?>("--context-length") { Description = "Longest sequence the model directory allows (default: max_position_embeddings)" };
        var modelId = new Option<string?>("--model-id") { HelpName = "ID", Description = "Source model id recorded in the manifest, e.g. Qwen/Qwen2.5-0.5B-Instruct" };
        var license = new Option<string?>("--license") { HelpName = "ID", Description = "Source model license recorded in the manifest, e.g. apache-2.0" };

        var command = new Command("convert", "Convert a Hugging Face Llama/Qwen2/Qwen3 checkpoint to an ONNX model directory, optionally int4/int8-quantized")
        {
            hfDirectory, outputDirectory, precision, blockSize, symmetric, method, embeddings, lmHead, accuracyLevel, allLogits, contextLength, modelId, license,
        };
        command.SetAction(parse =>
        {
            var error = parse.InvocationConfiguration.Error;
            ConversionOptions options;
            try
            {
                var recipe = new QuantizationRecipe
                {
                    BlockSize = parse.GetValue(blockSize),
                    Symmetric = parse.GetValue(symmetric),
                    Method = QuantizationRecipe.ParseMethod(parse.GetRequiredValue(method)),
                    Embeddings = parse.GetValue(embeddings) is { } e ? WeightFormatExtensions.Parse(e, "--embeddings") : null,
                    LmHead = parse.GetValue(lmHead) is { } h ? WeightFormatExtensions.Parse(h, "--lm-head") : null,
                    AccuracyLevel = parse.GetValue(accuracyLevel),
                };
                options = new ConversionOptions(
                    parse.GetRequiredValue(hfDirectory),
                    parse.GetRequiredValue(outputDirectory),
                    ConversionPrecisionExtensions.Parse(parse.GetRequiredValue(precision)),
                    parse.GetValue(allLogits),
                    parse.GetValue(contextLength),
                    parse.GetValue(modelId),
                    parse.GetValue(license),
                    recipe);
            }
            catch (ConversionException e)
            {
                error.WriteLine($"convert: {e.Message}");
                return 1;
            }

            // A terminal gets one status line rewritten in place; a log or pipe gets a line per tensor.
            var interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
            var progress = interactive ? new ConversionProgress(error, interactive: true, lineWidth: TerminalWidth()) : new ConversionProgress(error, interactive: false);
            return Run(options, parse.InvocationConfiguration.Output, error, progress);
        });
        return command;
    }

    // One column short of the terminal's width, so the cursor never wraps; 80 when the width cannot be read.
    private static int TerminalWidth()
    {
        try
        {
            return Math.Max(Console.WindowWidth - 1, 40);
        }
        catch (IOException)
        {
            return 79;
        }
    }

    private static Option<string?> FormatOption(string name, string what)
    {
        var option = new Option<string?>(name) { Description = $"Int4/int8: {what}: int4, int8 or fp (default: the --precision format)" };
        option.AcceptOnlyFromAmong([.. WeightFormatExtensions.All.Select(f => f.Name())]);
        return option;
    }

    private static int Run(ConversionOptions options, TextWriter output, TextWriter error, ConversionProgress progress)
    {
        var stopwatch = Stopwatch.StartNew();
        ConversionResult result;
        try
        {
            result = ModelConverter.Convert(options, progress);
        }
        catch (Exception e) when (e is ConversionException or HfCheckpointException or ModelDirectoryException or IOException or UnauthorizedAccessException)
        {
            progress.Finish();
            error.WriteLine($"convert: {e.Message}");
            return 1;
        }

        foreach (var warning in result.Warnings)
        {
            error.WriteLine($"warning: {warning}");
        }

        foreach (var file in result.Manifest.Files)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file.Sha256}  {file.Size,14:N0}  {file.Path}"));
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"converted {result.Manifest.Source.Architecture} ({Describe(result.Manifest)}) to {result.OutputDirectory} in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }

    // "int4, block 32, rtn, asymmetric, embeddings int4, lm_head int4" or just "fp16".
    private static string Describe(ModelManifest manifest)
    {
        var recipe = manifest.Recipe;
        return recipe.TryGetValue("block_size", out var block)
            ? $"{recipe["precision"]}, block {block}, {recipe["method"]}, {(recipe["symmetric"] == "true" ? "symmetric" : "asymmetric")}, embeddings {recipe["embeddings"]}, lm_head {recipe["lm_head"]}"
            : recipe["precision"];
    }
}
