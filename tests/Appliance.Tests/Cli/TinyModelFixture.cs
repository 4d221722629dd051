using Appliance.Quantize.Synthetic;
using Appliance.TestSupport;

namespace Appliance.Tests.Cli;

/// <summary>
/// A tiny model directory made the way a user makes one: a synthetic (random-weight) Hugging Face checkpoint
/// converted by `quantize convert`, run as the real tool.
/// </summary>
public sealed class TinyModelFixture : IDisposable
{
    private readonly TempDirectory _directory = new("appliance-cli");

    public TinyModelFixture()
    {
        var checkpoint = _directory.Combine("hf");
        SyntheticModel.Write(SyntheticShapes.TinyLlama, seed: 1, checkpoint);
        ModelPath = _directory.Combine("model");
        RunQuantize("convert", checkpoint, ModelPath, "--context-length", "96");
    }

    public string ModelPath { get; }

    public string Combine(params string[] parts) => _directory.Combine(parts);

    public void Dispose() => _directory.Dispose();

    private static void RunQuantize(params string[] args) =>
        ChildProcess.Run(Path.Combine(AppContext.BaseDirectory, "quantize.dll"), args);
}
