using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Tests.Engine;

/// <summary>
/// The synthetic (random-weight) s135 checkpoint with Llama 3's real tokenizer and chat template, converted to int4
/// by the real `quantize convert` with a 2,048-token context: the size at which prefill time dominates a request.
/// </summary>
public sealed class S135Int4Model : IDisposable
{
    private readonly TempDirectory _directory = new("s135-int4");

    public S135Int4Model()
    {
        var checkpoint = _directory.Combine("hf");
        var tokenizer = RepoPaths.Combine("tests", "oracles", "node_modules", "@lenml", "tokenizer-llama3", "models", "tokenizer.json");
        SyntheticModel.Write(SyntheticShapes.S135, seed: 5, checkpoint, tokenizerPath: tokenizer);
        Path = _directory.Combine("model");
        ChildProcess.Run(
            System.IO.Path.Combine(AppContext.BaseDirectory, "quantize.dll"),
            ["convert", checkpoint, Path, "--precision", "int4", "--context-length", "2048"]);
        Directory.Delete(checkpoint, recursive: true);
    }

    public string Path { get; }

    public void Dispose() => _directory.Dispose();
}
