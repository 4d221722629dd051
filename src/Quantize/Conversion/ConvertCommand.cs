using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Appliance.Inference.Models;
using Appliance.Quantize.HuggingFace;

namespace Appliance.Quantize.Conversion;

/// <summary>`quantize convert HF_DIR OUT_DIR`: a Hugging Face checkpoint to the float model directory the appliance loads.</summary>
internal static class ConvertCommand
{
    internal static Command Create()
    {
        var hfDirectory = new Argument<string>("HF_DIR") { Description = "Hugging Face checkpoint directory (config.json, *.safetensors, tokenizer files)" };
        var outputDirectory = new Argument<string>("OUT_DIR") { Description = "model directory to create (must not exist or be empty)" };
        var precision = new Option<string>("--precision")
        {
            Description = "weights, activations and KV cache element type",
            DefaultValueFactory = _ => ConversionPrecision.Fp32.Name(),
        };
        precision.AcceptOnlyFromAmong(ConversionPrecision.Fp32.Name(), ConversionPrecision.Fp16.Name());
        var allLogits = new Option<bool>("--all-logits") { Description = "output logits for every position (default: last position only)" };
        var contextLength = new Option<int?>("--context-length") { Description = "longest sequence the model directory allows (default: max_position_embeddings)" };
        var modelId = new Option<string?>("--model-id") { Description = "source model id recorded in the manifest, e.g. Qwen/Qwen2.5-0.5B-Instruct" };
        var license = new Option<string?>("--license") { Description = "source model license recorded in the manifest, e.g. apache-2.0" };

        var command = new Command("convert", "convert a Hugging Face Llama/Qwen2/Qwen3 checkpoint to an ONNX model directory")
        {
            hfDirectory, outputDirectory, precision, allLogits, contextLength, modelId, license,
        };
        command.SetAction(parse =>
        {
            var options = new ConversionOptions(
                parse.GetRequiredValue(hfDirectory),
                parse.GetRequiredValue(outputDirectory),
                ConversionPrecisionExtensions.Parse(parse.GetRequiredValue(precision)),
                parse.GetValue(allLogits),
                parse.GetValue(contextLength),
                parse.GetValue(modelId),
                parse.GetValue(license));
            return Run(options, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private static int Run(ConversionOptions options, TextWriter output, TextWriter error)
    {
        var stopwatch = Stopwatch.StartNew();
        ConversionResult result;
        try
        {
            result = ModelConverter.Convert(options);
        }
        catch (Exception e) when (e is ConversionException or HfCheckpointException or ModelDirectoryException or IOException or UnauthorizedAccessException)
        {
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
            $"converted {result.Manifest.Source.Architecture} ({options.Precision.Name()}) to {result.OutputDirectory} in {stopwatch.Elapsed.TotalSeconds:F1} s"));
        return 0;
    }
}
