using System.CommandLine;
using Appliance.Quantize.HuggingFace;
using Appliance.Quantize.Synthetic;

namespace Appliance.Quantize.Cli;

/// <summary>`quantize synth`: writes a random-weight Hugging Face model directory for tests and benchmarks.</summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape")
        {
            Description = $"Model geometry: {string.Join(", ", SyntheticShapes.All.Select(s => s.Name))}",
            Required = true,
        };
        shape.AcceptOnlyFromAmong([.. SyntheticShapes.All.Select(s => s.Name)]);
        var seed = new Option<ulong>("--seed") { Description = "Random seed; the same seed gives byte-identical files", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory (Hugging Face layout)", Required = true };
        var tokenizer = new Option<FileInfo?>("--tokenizer")
        {
            Description = "A real tokenizer.json to use (its tokenizer_config.json beside it is copied too); sets the vocabulary size",
        };
        var dtype = new Option<string>("--dtype") { Description = "Weight storage type", DefaultValueFactory = _ => "f32" };
        dtype.AcceptOnlyFromAmong("f32", "f16", "bf16");

        var command = new Command("synth", "Write a synthetic Hugging Face model (random weights, not a trained model)")
        {
            shape, seed, output, tokenizer, dtype,
        };
        command.SetAction(parseResult =>
        {
            var chosen = SyntheticShapes.Get(parseResult.GetValue(shape)!);
            var directory = parseResult.GetValue(output)!.FullName;
            try
            {
                var result = SyntheticModel.Write(
                    chosen,
                    parseResult.GetValue(seed),
                    directory,
                    ParseDType(parseResult.GetValue(dtype)!),
                    parseResult.GetValue(tokenizer)?.FullName);
                var config = result.Config;
                parseResult.InvocationConfiguration.Output.WriteLine(
                    $"{chosen.Name}: {config.ArchitectureName}, {result.ParameterCount:N0} parameters ({SyntheticNotice.Weights}), "
                    + $"hidden {config.HiddenSize}, layers {config.NumHiddenLayers}, heads {config.NumAttentionHeads}/{config.NumKeyValueHeads}, "
                    + $"vocab {config.VocabSize} -> {directory}");
                return 0;
            }
            catch (Exception e) when (e is HfCheckpointException or IOException or UnauthorizedAccessException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static SafeTensorDType ParseDType(string text) => text switch
    {
        "f32" => SafeTensorDType.F32,
        "f16" => SafeTensorDType.F16,
        "bf16" => SafeTensorDType.BF16,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "Expected f32, f16 or bf16."),
    };
}
