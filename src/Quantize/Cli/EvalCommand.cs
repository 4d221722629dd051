using System.CommandLine;
using System.Globalization;
using Appliance.Inference.Models;
using Appliance.Inference.Runtime;
using Appliance.Inference.Tokenization;
using Appliance.Quantize.Evaluation;
using Microsoft.ML.OnnxRuntime;

namespace Appliance.Quantize.Cli;

/// <summary>`quantize eval`: the fidelity report of a quantized model against its float reference on a text.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var reference = new Option<string>("--reference") { HelpName = "DIR", Description = "Float model directory (e.g. converted with --precision fp32)", Required = true };
        var candidate = new Option<string>("--candidate") { HelpName = "DIR", Description = "Quantized model directory of the same checkpoint", Required = true };
        var text = new Option<string>("--text") { HelpName = "FILE", Description = "UTF-8 text file to score", Required = true };
        var tokens = new Option<int?>("--tokens") { Description = "Positions to score (default: as many as the text gives)" };
        var context = new Option<int>("--context")
        {
            Description = "Tokens per window, capped by the models' context; the second half of each window is scored",
            DefaultValueFactory = _ => FidelityOptions.DefaultWindow,
        };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (default: ONNX Runtime's choice)" };
        var ortLibrary = new Option<string?>("--ort-library") { HelpName = "FILE", Description = $"Path of libonnxruntime.so (default: ${OrtLibraryResolver.EnvironmentVariable}, else the one beside the executable)" };
        var command = new Command("eval", "Compare a quantized model with its float reference on a text: KL divergence, top-1 agreement, perplexity, per-layer weight error")
        {
            reference, candidate, text, tokens, context, threads, ortLibrary,
        };
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var options = new FidelityOptions(
                parse.GetRequiredValue(reference), parse.GetRequiredValue(candidate), parse.GetRequiredValue(text),
                parse.GetValue(tokens), parse.GetValue(context), Math.Max(0, parse.GetValue(threads)));
            try
            {
                OrtLibrary.Configure(parse.GetValue(ortLibrary));
                var result = FidelityEvaluator.Evaluate(options, (done, wanted) => error.WriteLine(wanted > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"scored {done}/{wanted} positions")
                    : string.Create(CultureInfo.InvariantCulture, $"scored {done} positions")));
                FidelityReportWriter.Write(result, output);
                return 0;
            }
            catch (Exception e) when (e is EvaluationException or ModelDirectoryException or TokenizerFormatException or OnnxRuntimeException or OrtLibraryNotFoundException or OrtLibraryVersionException or InvalidDataException or IOException)
            {
                error.WriteLine($"eval: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
